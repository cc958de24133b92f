// The interop TLS proxy itself: it only tunnels to the SSO hostnames, counts what it refuses, and its
// throwaway CA is what makes the certificate trusted (so the CLI tests prove something).
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { Socket } from 'node:net';
import { after, before, test } from 'node:test';
import tls from 'node:tls';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { makeTestCa, SsoProxy, ssoHosts, startSsoProxy, TestCa } from '../../interop/proxy';

let fake: FakeIdentityCenter;
let ca: TestCa;
let proxy: SsoProxy;
let cases = 0;
const HOSTS = ssoHosts('us-east-1', 'eu-west-1');

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 1 });
  const t = performance.now();
  ca = await makeTestCa(HOSTS);
  console.log(`# CA and leaf made with openssl in ${Math.round(performance.now() - t)} ms`);
  proxy = await startSsoProxy({ target: fake.url, hosts: HOSTS, ca });
});

after(async () => {
  console.log(`# proxy: ${cases} case(s), ${proxy.forwarded.length} forwarded, ${proxy.refused.length} refused (all on purpose)`);
  await proxy.close();
  await ca.cleanup();
  await fake.close();
});

function connect(dest: string): Promise<{ status: number; socket: Socket }> {
  const u = new URL(proxy.url);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method: 'CONNECT', path: dest, agent: false });
    req.once('connect', (res, socket) => resolve({ status: res.statusCode ?? 0, socket }));
    req.once('response', (res) => {
      res.resume();
      resolve({ status: res.statusCode ?? 0, socket: res.socket });
    });
    req.once('error', reject);
    req.end();
  });
}

/** One HTTPS request through an established tunnel; `ca` undefined means the system trust store. */
function httpsOver(socket: Socket, host: string, caPem: string | undefined, path: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const s = tls.connect({ socket, servername: host, ca: caPem });
    s.once('error', reject);
    s.once('secureConnect', () => {
      s.write(`POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      let raw = '';
      s.setEncoding('utf8');
      s.on('data', (d: string) => (raw += d));
      s.once('end', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(raw)?.[1] ?? 0), body: raw.slice(raw.indexOf('\r\n\r\n') + 4) }));
    });
  });
}

test('the leaf certificate names every SSO host and is signed by the throwaway CA', async () => {
  cases++;
  const leaf = new X509Certificate(ca.cert);
  const root = new X509Certificate(await readFile(ca.caFile));
  for (const h of HOSTS) assert.ok(leaf.checkHost(h), `SAN for ${h}`);
  assert.equal(leaf.checkHost('sts.amazonaws.com'), undefined);
  assert.ok(leaf.verify(root.publicKey), 'signed by the CA');
  assert.equal(root.ca, true);
  assert.equal(leaf.ca, false);
});

test('CONNECT to an SSO host tunnels TLS to the fake; the request arrives with its path', async () => {
  cases++;
  const host = 'oidc.eu-west-1.amazonaws.com';
  const { status, socket } = await connect(`${host}:443`);
  assert.equal(status, 200);
  const r = await httpsOver(socket, host, await readFile(ca.caFile, 'utf8'), '/client/register', JSON.stringify({ clientName: 'x', clientType: 'public' }));
  assert.equal(r.status, 200);
  assert.equal(typeof JSON.parse(r.body).clientId, 'string');
  assert.deepEqual(proxy.forwarded.at(-1), { host, method: 'POST', path: '/client/register', status: 200 });
  assert.equal(fake.stats.requests.register, 1);
});

test('without the CA the certificate is not trusted (so AWS_CA_BUNDLE is what the CLI relies on)', async () => {
  cases++;
  const host = 'portal.sso.us-east-1.amazonaws.com';
  const { status, socket } = await connect(`${host}:443`);
  assert.equal(status, 200);
  await assert.rejects(httpsOver(socket, host, undefined, '/logout', ''), /self[- ]signed|unable to (get|verify)/i);
});

test('every other destination is refused with 403 and recorded', async () => {
  cases++;
  const before = proxy.refused.length;
  for (const dest of ['sts.amazonaws.com:443', 'oidc.us-east-1.amazonaws.com:80', 'example.com:443', '169.254.169.254:80', 'oidc.us-west-2.amazonaws.com:443']) {
    const { status, socket } = await connect(dest);
    assert.equal(status, 403, dest);
    socket.destroy();
  }
  // A plain-HTTP proxy request is refused too.
  const u = new URL(proxy.url);
  const plain = await new Promise<number>((resolve, reject) => {
    http
      .get({ host: u.hostname, port: u.port, path: 'http://portal.sso.us-east-1.amazonaws.com/assignment/accounts', agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .once('error', reject);
  });
  assert.equal(plain, 403);
  assert.deepEqual(proxy.refused.slice(before), [
    'sts.amazonaws.com:443',
    'oidc.us-east-1.amazonaws.com:80',
    'example.com:443',
    '169.254.169.254:80',
    'oidc.us-west-2.amazonaws.com:443',
    'GET http://portal.sso.us-east-1.amazonaws.com/assignment/accounts',
  ]);
  assert.equal(fake.stats.requests.accounts, undefined, 'nothing refused reached the fake');
});
