// @patternmesh/devkit: what the dev tools that run local servers share (tools/pulsar, tools/kube).
// Plain Node 24 APIs only. See ../README.md.
export { sleep } from './sleep';
export {
  type Log,
  LOOPBACK,
  errorCode,
  errorMessage,
  fmtBytes,
  fmtMs,
  noopLog,
  now,
  splitOpts,
} from './basics';
export { type LockOptions, withLock } from './lock';
export { isAlive, procCmdline, rssBytes, tailFile, waitForExit } from './process';
export { isPortFree, parsePort, pickFreePorts } from './ports';
export {
  type CertificateAuthority,
  type CertificateRequest,
  type IssuedCertificate,
  ensureCa,
  ensureCertificate,
  ensureKeyPair,
  openssl,
} from './pki';
export { type HttpOptions, httpGet, httpJson, readJsonFile, writeFileAtomic } from './io';
