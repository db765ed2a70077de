// Keeps `npm ci` working with a lockfile written against a registry that does not serve every
// platform's binary package. npm records the optional platform packages of a dependency (buf's
// darwin/win32 builds, unrs-resolver's bindings, ...) only when it can fetch their manifests; where
// the registry answers 404 for the platforms nobody here runs, it leaves them out, and `npm ci`
// then refuses the lockfile as out of sync. This adds a lock entry for each such package, marked
// optional with the os/cpu/libc its name declares, so npm skips it on other platforms and fetches it
// by version on its own. Idempotent; run after `npm install` (the root postinstall does).
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

const OS = [
  'darwin',
  'linux',
  'win32',
  'android',
  'freebsd',
  'openbsd',
  'netbsd',
  'sunos',
  'aix',
  'openharmony',
];
const CPU = {
  arm64: 'arm64',
  aarch64: 'arm64',
  x64: 'x64',
  ia32: 'ia32',
  arm: 'arm',
  armv7: 'arm',
  loong64: 'loong64',
  ppc64: 'ppc64',
  riscv64: 'riscv64',
  s390x: 's390x',
};

function platformOf(name) {
  const tokens = name.split('/').pop().split('-');
  const os = tokens.find((t) => OS.includes(t));
  const cpu = tokens.map((t) => CPU[t]).find(Boolean);
  if (!os || !cpu) return undefined;
  const libc =
    tokens.includes('musl') || tokens.includes('musleabihf')
      ? ['musl']
      : tokens.some((t) => t.startsWith('gnu'))
        ? ['glibc']
        : undefined;
  return { os: [os], cpu: [cpu], ...(libc ? { libc } : {}) };
}

let added = 0;
const unknown = [];
for (const [location, entry] of Object.entries(packages)) {
  for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${location ? `${location}/` : ''}node_modules/${name}`;
    if (packages[nested] || packages[`node_modules/${name}`]) continue;
    const platform = platformOf(name);
    if (!platform || !/^\d+\.\d+\.\d+/.test(range)) {
      unknown.push(`${name}@${range}`);
      continue;
    }
    packages[`node_modules/${name}`] = {
      version: range,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platform,
    };
    added++;
  }
}

if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  );
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
}
if (unknown.length > 0)
  console.warn(
    `lockfile: optional packages without a lock entry and no platform in their name: ${unknown.join(', ')}`,
  );
if (added > 0) console.log(`lockfile: added ${added} optional platform package entries`);
