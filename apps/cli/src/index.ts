export { buildProgram, runCli } from './program';
export { CliExit } from './exit-codes';
