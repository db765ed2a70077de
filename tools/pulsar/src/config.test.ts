import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientConf, dataPaths, log4j2Xml, signToken, standaloneConf, verifyToken } from './config';

function parseConf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    expect(i, `bad line ${line}`).toBeGreaterThan(0);
    expect(out, `duplicate key ${line.slice(0, i)}`).not.toHaveProperty(line.slice(0, i));
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

const paths = dataPaths('/tmp/pm-test-data');

describe('standalone.conf', () => {
  it('binds to loopback, sets the ports and the required broker settings', () => {
    const c = parseConf(standaloneConf({ paths, ports: { broker: 16650, web: 18080 } }));
    expect(c).toMatchObject({
      bindAddress: '127.0.0.1',
      advertisedAddress: '127.0.0.1',
      brokerServicePort: '16650',
      webServicePort: '18080',
      clusterName: 'standalone',
      metadataStoreUrl: '',
      allowAutoTopicCreation: 'true',
      subscriptionRedeliveryTrackerEnabled: 'true',
      brokerDeleteInactiveTopicsEnabled: 'false',
      functionsWorkerEnabled: 'false',
      loadManagerClassName: 'org.apache.pulsar.broker.loadbalance.NoopLoadManager',
      allowLoopback: 'true',
      acknowledgmentAtBatchIndexLevelEnabled: 'true',
      narExtractionDirectory: paths.tmp,
    });
    expect(Number(c.dbStorage_writeCacheMaxSizeMb)).toBeLessThanOrEqual(64);
    expect(Number(c.dbStorage_readAheadCacheMaxSizeMb)).toBeLessThanOrEqual(64);
    expect(c.authenticationEnabled).toBeUndefined();
    expect(c.brokerServicePortTls).toBeUndefined();
  });

  it('token auth', () => {
    const c = parseConf(standaloneConf({ paths, ports: { broker: 1, web: 2 }, auth: true }));
    expect(c).toMatchObject({
      authenticationEnabled: 'true',
      authenticationProviders: 'org.apache.pulsar.broker.authentication.AuthenticationProviderToken',
      tokenSecretKey: `file://${paths.secretKey}`,
      authorizationEnabled: 'true',
      superUserRoles: 'admin',
      brokerClientAuthenticationPlugin: 'org.apache.pulsar.client.impl.auth.AuthenticationToken',
      brokerClientAuthenticationParameters: `file://${paths.adminToken}`,
    });
  });

  it('TLS and extra keys (extra wins)', () => {
    const c = parseConf(
      standaloneConf({
        paths,
        ports: { broker: 1, web: 2, brokerTls: 3, webTls: 4 },
        tls: true,
        extra: { brokerDeduplicationEnabled: true, acknowledgmentAtBatchIndexLevelEnabled: false },
      }),
    );
    expect(c).toMatchObject({
      brokerServicePortTls: '3',
      webServicePortTls: '4',
      tlsCertificateFilePath: paths.serverCert,
      tlsKeyFilePath: paths.serverKey,
      tlsTrustCertsFilePath: paths.caCert,
      brokerDeduplicationEnabled: 'true',
      acknowledgmentAtBatchIndexLevelEnabled: 'false',
    });
  });
});

describe('client.conf and log4j2.xml', () => {
  it('client.conf names the broker, the token file and the CA', () => {
    const c = parseConf(
      clientConf({
        serviceUrl: 'pulsar://127.0.0.1:1',
        adminUrl: 'http://127.0.0.1:2',
        tokenFile: '/x/t',
        tlsTrustCertsFilePath: '/x/ca.pem',
      }),
    );
    expect(c).toMatchObject({
      brokerServiceUrl: 'pulsar://127.0.0.1:1/',
      webServiceUrl: 'http://127.0.0.1:2/',
      authParams: 'file:///x/t',
      tlsTrustCertsFilePath: '/x/ca.pem',
    });
  });

  it('log4j2.xml escapes paths and toggles the console appender', () => {
    const x = log4j2Xml({ logFile: '/tmp/a&b/pulsar.log', console: false });
    expect(x).toMatch(/fileName="\/tmp\/a&amp;b\/pulsar.log"/);
    expect(x).toMatch(/filePattern="\/tmp\/a&amp;b\/pulsar-%i.log.gz"/);
    expect(x).not.toMatch(/<Console/);
    expect(log4j2Xml({ logFile: '/tmp/p.log', console: true })).toMatch(/AppenderRef ref="console"/);
  });
});

describe('HS256 tokens', () => {
  it('have the pulsar tokens structure, signature and verification', () => {
    const secret = crypto.randomBytes(32);
    const t = signToken(secret, 'admin');
    const [h = '', p = '', s] = t.split('.');
    expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toEqual({ alg: 'HS256' });
    expect(JSON.parse(Buffer.from(p, 'base64url').toString())).toEqual({ sub: 'admin' });
    expect(s).toBe(crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url'));
    expect(verifyToken(secret, t)).toBe(true);
    expect(verifyToken(crypto.randomBytes(32), t)).toBe(false);
    const withExp = JSON.parse(
      Buffer.from(signToken(secret, 'c', { expiresInSeconds: 60 }).split('.')[1]!, 'base64url').toString(),
    ) as { exp: number };
    expect(withExp.exp).toBeGreaterThan(Date.now() / 1000);
  });
});
