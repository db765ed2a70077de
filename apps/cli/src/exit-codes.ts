/**
 * What `patternmesh` exits with, so scripts can tell a typo from a failure: 0 done (or stopped
 * cleanly), 1 the command failed, 2 the command line or the configuration is wrong.
 */
export const CliExit = { ok: 0, failed: 1, usage: 2 } as const;
