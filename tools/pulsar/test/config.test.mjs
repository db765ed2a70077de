// Unit tests for the config writers and helpers (no Java, no Maven, no broker): node --test
import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { clientConf, dataPaths, log4j2Xml, signToken, standaloneConf, verifyToken } from '../lib/config.mjs';
import { generatePom, generateSettings, parseMissingPulsarArtifacts } from '../lib/resolve.mjs';
import { pickFreePorts, parsePort } from '../lib/common.mjs';

function parseConf(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    assert.ok(i > 0, `bad line ${line}`);
    assert.ok(!(line.slice(0, i) in out), `duplicate key ${line.slice(0, i)}`);
    out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}

const paths = dataPaths('/tmp/pm-test-data');

test('standalone.conf: loopback, ports, required broker settings', () => {
  const c = parseConf(standaloneConf({ paths, ports: { broker: 16650, web: 18080 } }));
  assert.equal(c.bindAddress, '127.0.0.1');
  assert.equal(c.advertisedAddress, '127.0.0.1');
  assert.equal(c.brokerServicePort, '16650');
  assert.equal(c.webServicePort, '18080');
  assert.equal(c.clusterName, 'standalone');
  assert.equal(c.metadataStoreUrl, '');
  assert.equal(c.allowAutoTopicCreation, 'true');
  assert.equal(c.subscriptionRedeliveryTrackerEnabled, 'true');
  assert.equal(c.brokerDeleteInactiveTopicsEnabled, 'false');
  assert.equal(c.functionsWorkerEnabled, 'false');
  assert.equal(c.loadManagerClassName, 'org.apache.pulsar.broker.loadbalance.NoopLoadManager');
  assert.equal(c.allowLoopback, 'true');
  assert.ok(Number(c.dbStorage_writeCacheMaxSizeMb) <= 64);
  assert.ok(Number(c.dbStorage_readAheadCacheMaxSizeMb) <= 64);
  assert.equal(c.authenticationEnabled, undefined);
  assert.equal(c.brokerServicePortTls, undefined);
});

test('standalone.conf: token auth', () => {
  const c = parseConf(standaloneConf({ paths, ports: { broker: 1, web: 2 }, auth: true }));
  assert.equal(c.authenticationEnabled, 'true');
  assert.equal(
    c.authenticationProviders,
    'org.apache.pulsar.broker.authentication.AuthenticationProviderToken',
  );
  assert.equal(c.tokenSecretKey, `file://${paths.secretKey}`);
  assert.equal(c.superUserRoles, 'admin');
  assert.equal(c.brokerClientAuthenticationPlugin, 'org.apache.pulsar.client.impl.auth.AuthenticationToken');
  assert.equal(c.brokerClientAuthenticationParameters, `file://${paths.adminToken}`);
});

test('standalone.conf: TLS and extra keys (extra wins)', () => {
  const c = parseConf(
    standaloneConf({
      paths,
      ports: { broker: 1, web: 2, brokerTls: 3, webTls: 4 },
      tls: true,
      extra: { brokerDeduplicationEnabled: true, acknowledgmentAtBatchIndexLevelEnabled: false },
    }),
  );
  assert.equal(c.brokerServicePortTls, '3');
  assert.equal(c.webServicePortTls, '4');
  assert.equal(c.tlsCertificateFilePath, paths.serverCert);
  assert.equal(c.tlsKeyFilePath, paths.serverKey);
  assert.equal(c.tlsTrustCertsFilePath, paths.caCert);
  assert.equal(c.brokerDeduplicationEnabled, 'true');
  assert.equal(c.acknowledgmentAtBatchIndexLevelEnabled, 'false');
});

test('client.conf', () => {
  const c = parseConf(
    clientConf({
      serviceUrl: 'pulsar://127.0.0.1:1',
      adminUrl: 'http://127.0.0.1:2',
      tokenFile: '/x/t',
      tlsTrustCertsFilePath: '/x/ca.pem',
    }),
  );
  assert.equal(c.brokerServiceUrl, 'pulsar://127.0.0.1:1/');
  assert.equal(c.webServiceUrl, 'http://127.0.0.1:2/');
  assert.equal(c.authParams, 'file:///x/t');
  assert.equal(c.tlsTrustCertsFilePath, '/x/ca.pem');
});

test('log4j2.xml escapes paths and toggles the console appender', () => {
  const x = log4j2Xml({ logFile: '/tmp/a&b/pulsar.log', console: false });
  assert.match(x, /fileName="\/tmp\/a&amp;b\/pulsar.log"/);
  assert.doesNotMatch(x, /<Console/);
  assert.match(log4j2Xml({ logFile: '/tmp/p.log', console: true }), /AppenderRef ref="console"/);
});

test('HS256 token: structure, signature, verification', () => {
  const secret = crypto.randomBytes(32);
  const t = signToken(secret, 'admin');
  const [h, p, s] = t.split('.');
  assert.deepEqual(JSON.parse(Buffer.from(h, 'base64url').toString()), { alg: 'HS256' });
  assert.deepEqual(JSON.parse(Buffer.from(p, 'base64url').toString()), { sub: 'admin' });
  const want = crypto.createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url');
  assert.equal(s, want);
  assert.ok(verifyToken(secret, t));
  assert.ok(!verifyToken(crypto.randomBytes(32), t));
  const withExp = JSON.parse(
    Buffer.from(signToken(secret, 'c', { expiresInSeconds: 60 }).split('.')[1], 'base64url'),
  );
  assert.ok(withExp.exp > Date.now() / 1000);
});

test('pom imports the Pulsar BOM, adds log4j2, and pins win', () => {
  const pom = generatePom({
    version: '4.0.8',
    artifactId: 'pulsar-broker',
    pins: { 'org.apache.pulsar:jetcd-core-shaded': '4.0.7' },
  });
  assert.match(
    pom,
    /<artifactId>pulsar<\/artifactId><version>4\.0\.8<\/version><type>pom<\/type><scope>import<\/scope>/,
  );
  assert.match(pom, /<artifactId>log4j-slf4j2-impl<\/artifactId>/);
  assert.match(pom, /<artifactId>log4j-core<\/artifactId>/);
  assert.ok(pom.indexOf('jetcd-core-shaded') < pom.indexOf('<scope>import</scope>'));
  assert.match(
    generateSettings('https://example.invalid/m2'),
    /<mirrorOf>\*<\/mirrorOf><url>https:\/\/example.invalid\/m2<\/url>/,
  );
});

test('Maven error parsing finds missing org.apache.pulsar artifacts', () => {
  const out = [
    '[ERROR] Failed to execute goal on project x: Could not resolve dependencies for project x:x:pom:1: The following artifacts could not be resolved: org.apache.pulsar:jetcd-core-shaded:jar:4.0.8, org.apache.pulsar:pulsar-opentelemetry:jar:4.0.8: Could not find artifact org.apache.pulsar:jetcd-core-shaded:jar:4.0.8 in central-only (https://repo.maven.apache.org/maven2) -> [Help 1]',
    '[ERROR] ... Failed to read artifact descriptor for org.apache.pulsar:foo:jar:4.0.8: Could not transfer artifact',
    '[ERROR] ... org.apache.pulsar:bar:jar:4.0.8 was not found in https://repo.maven.apache.org/maven2 during a previous attempt.',
    'Could not find artifact io.netty:netty-common:jar:1.0',
  ].join('\n');
  assert.deepEqual(parseMissingPulsarArtifacts(out), {
    'org.apache.pulsar:jetcd-core-shaded': '4.0.8',
    'org.apache.pulsar:pulsar-opentelemetry': '4.0.8',
    'org.apache.pulsar:foo': '4.0.8',
    'org.apache.pulsar:bar': '4.0.8',
  });
});

test('ports', async () => {
  const ps = await pickFreePorts(4);
  assert.equal(new Set(ps).size, 4);
  assert.equal(parsePort('0', 'x'), 0);
  assert.equal(parsePort(undefined, 'x'), undefined);
  assert.throws(() => parsePort('70000', 'x'));
});
