import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureCa, ensureCertificate, ensureKeyPair, openssl } from './pki';

describe('pki', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devkit-pki-'));
  const ca = ensureCa(dir, 'ca', 'test-ca');

  it('issues a client certificate whose subject carries the user and groups, verified by the CA', () => {
    const client = ensureCertificate(ca, dir, 'admin', {
      commonName: 'admin',
      organizations: ['system:masters'],
      usage: 'client',
    });
    const x509 = new crypto.X509Certificate(fs.readFileSync(client.cert));
    expect(x509.subject).toBe('CN=admin\nO=system:masters');
    expect(x509.verify(new crypto.X509Certificate(fs.readFileSync(ca.cert)).publicKey)).toBe(true);
    expect(openssl(['verify', '-purpose', 'sslclient', '-CAfile', ca.cert, client.cert], dir)).toMatch(/OK/);
    expect(fs.statSync(client.key).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(client.key, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('puts the SANs on a server certificate and keeps existing material', () => {
    const request = {
      commonName: 'srv',
      subjectAltNames: ['DNS:localhost', 'IP:127.0.0.1'],
      usage: 'server' as const,
    };
    const server = ensureCertificate(ca, dir, 'srv', request);
    const first = fs.readFileSync(server.cert, 'utf8');
    const x509 = new crypto.X509Certificate(first);
    expect(x509.subjectAltName).toBe('DNS:localhost, IP Address:127.0.0.1');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    ensureCertificate(ca, dir, 'srv', request);
    expect(fs.readFileSync(server.cert, 'utf8')).toBe(first);
  });

  it('makes a key pair whose public half verifies what the private half signs', () => {
    const pair = ensureKeyPair(dir, 'sa');
    const data = Buffer.from('token');
    const signature = crypto.sign('sha256', data, fs.readFileSync(pair.privateKey));
    expect(crypto.verify('sha256', data, fs.readFileSync(pair.publicKey), signature)).toBe(true);
  });
});
