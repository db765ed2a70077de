import { CliExit } from './exit-codes';
import { runCli } from './program';

// `patternmesh --help | head` closes the pipe early: that is the reader's choice, not a crash.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(CliExit.ok);
  throw error;
});

const code = await runCli(process.argv.slice(2));
// A failed command exits now: whatever it left behind (a half-open connection) must not keep a
// failed process alive. Running services keep the process up on their own and exit on a signal.
if (code !== CliExit.ok) process.exit(code);
