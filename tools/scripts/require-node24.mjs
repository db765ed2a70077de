// Fails fast with a clear message when the scripts run on an older Node than the one the project pins.
// npm scripts put node_modules/.bin (the `node` package, Node 24) first on PATH; this catches the cases
// where that did not happen (e.g. `npm ci --ignore-scripts` skipped the binary's install step).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `patternmesh needs Node 24 LTS; this is Node ${process.versions.node}. ` +
      `Run 'npm ci' (it installs Node 24 from the 'node' package) and use the npm scripts.`,
  );
  process.exit(1);
}
