// A private CA and the certificates a local server and its clients need, made with the openssl CLI
// (present on every machine we run on; $PATTERNMESH_OPENSSL overrides). Keys are RSA 2048, written 0600
// in PKCS#8 PEM, which every consumer we have (Java, Go, Node) reads. Certificates last 10 years: the
// material belongs to a data dir that is thrown away, not to anything long-lived.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const DAYS = '3650';

export interface CertificateAuthority {
  cert: string;
  key: string;
}

export interface IssuedCertificate {
  cert: string;
  key: string;
}

export interface CertificateRequest {
  /** Subject common name; for a Kubernetes client certificate, the user name. */
  commonName: string;
  /** Subject organizations; for a Kubernetes client certificate, the groups. */
  organizations?: string[];
  /** `DNS:…` / `IP:…` entries for a server certificate. */
  subjectAltNames?: string[];
  usage: 'server' | 'client' | 'server-and-client';
}

export function openssl(args: string[], cwd: string): string {
  const r = spawnSync(process.env.PATTERNMESH_OPENSSL || 'openssl', args, { cwd, encoding: 'utf8' });
  if (r.error) {
    throw new Error(
      (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'openssl not found on PATH; install it or set PATTERNMESH_OPENSSL'
        : r.error.message,
    );
  }
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed: ${r.stderr}`);
  return r.stdout;
}

/** Files `<dir>/<name>.crt` and `<dir>/<name>.key`. */
function pemPaths(dir: string, name: string): { cert: string; key: string } {
  return { cert: path.join(dir, `${name}.crt`), key: path.join(dir, `${name}.key`) };
}

/** A self-signed CA in `<dir>/<name>.crt|.key`; kept if both files exist. */
export function ensureCa(dir: string, name: string, commonName: string): CertificateAuthority {
  const ca = pemPaths(dir, name);
  if (fs.existsSync(ca.cert) && fs.existsSync(ca.key)) return ca;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rawKey = `${ca.key}.raw`;
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-sha256',
      '-days',
      DAYS,
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-keyout',
      rawKey,
      '-out',
      ca.cert,
    ],
    dir,
  );
  toPkcs8(rawKey, ca.key, dir);
  return ca;
}

/** A certificate signed by `ca` in `<dir>/<name>.crt|.key`; kept if both files exist. */
export function ensureCertificate(
  ca: CertificateAuthority,
  dir: string,
  name: string,
  request: CertificateRequest,
): IssuedCertificate {
  const out = pemPaths(dir, name);
  if (fs.existsSync(out.cert) && fs.existsSync(out.key)) return out;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const rawKey = `${out.key}.raw`;
  const csr = path.join(dir, `${name}.csr`);
  const ext = path.join(dir, `${name}.ext`);
  const usage = {
    server: 'serverAuth',
    client: 'clientAuth',
    'server-and-client': 'serverAuth,clientAuth',
  }[request.usage];
  const lines = [
    'basicConstraints=CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
  ];
  if (request.subjectAltNames?.length) lines.push(`subjectAltName=${request.subjectAltNames.join(',')}`);
  fs.writeFileSync(ext, `${lines.join('\n')}\n`);
  const subject = [`/CN=${request.commonName}`, ...(request.organizations ?? []).map((o) => `/O=${o}`)].join(
    '',
  );
  openssl(
    ['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-subj', subject, '-keyout', rawKey, '-out', csr],
    dir,
  );
  openssl(
    [
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca.cert,
      '-CAkey',
      ca.key,
      '-CAcreateserial',
      '-days',
      DAYS,
      '-sha256',
      '-extfile',
      ext,
      '-out',
      out.cert,
    ],
    dir,
  );
  toPkcs8(rawKey, out.key, dir);
  fs.rmSync(csr, { force: true });
  fs.rmSync(ext, { force: true });
  return out;
}

/** An RSA key pair (`<name>.key` PKCS#8, `<name>.pub` SPKI), e.g. for signing tokens; kept if present. */
export function ensureKeyPair(dir: string, name: string): { privateKey: string; publicKey: string } {
  const privateKey = path.join(dir, `${name}.key`);
  const publicKey = path.join(dir, `${name}.pub`);
  if (fs.existsSync(privateKey) && fs.existsSync(publicKey)) return { privateKey, publicKey };
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', privateKey], dir);
  fs.chmodSync(privateKey, 0o600);
  openssl(['pkey', '-in', privateKey, '-pubout', '-out', publicKey], dir);
  return { privateKey, publicKey };
}

function toPkcs8(rawKey: string, key: string, dir: string): void {
  openssl(
    ['pkcs8', '-topk8', '-inform', 'PEM', '-outform', 'PEM', '-nocrypt', '-in', rawKey, '-out', key],
    dir,
  );
  fs.chmodSync(key, 0o600);
  fs.rmSync(rawKey, { force: true });
}
