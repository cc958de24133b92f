// The command line behind a company proxy, end to end against the fake Identity Center: it signs in
// (device code), lists and refreshes through a CONNECT proxy (with and without Basic authentication)
// and through a TLS-inspecting one whose CA is given in AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS; NO_PROXY
// bypasses; a wrong password or a proxy that is down fails at once, naming the proxy but not the password.
//
// The fake speaks plain http and the SDK tunnels only https targets, so for the CONNECT proxy the fake
// sits behind an https front on 127.0.0.1 (AWS_ENDPOINT_URL_SSO*), whose certificate the throwaway CA
// signs. The TLS-inspecting proxy is the one the AWS CLI interop tests use, reached with no endpoint
// override at all: the command line asks for oidc/portal.sso.us-east-1.amazonaws.com as in real life.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import net, { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, beforeEach, test } from 'node:test';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { main } from '../../../src/cli/main';
import { isSsoError } from '../../../src/core/errors';
import { networkPort } from '../../../src/core/network';
import { Portal } from '../../../src/core/portal/portal';
import { networkFromEnv } from '../../../src/core/proxy';
import { ConnectProxy, HttpsFront, startConnectProxy, startHttpsFront } from '../../fakes/connectProxy';
import { FakeIdentityCenter, FakeOp } from '../../fakes/identityCenter';
import { tempHome, TempHome } from '../../helpers/tempHome';
import { makeTestCa, SsoProxy, ssoHosts, startSsoProxy, TestCa } from '../../interop/proxy';

const START = 'https://d-1234567890.awsapps.com/start';
const PASSWORD = 'p@ss:w/rd%1';
let fake: FakeIdentityCenter;
let home: TempHome;
let ca: TestCa;
let front: HttpsFront;
let plain: ConnectProxy;
let authed: ConnectProxy;
let inspecting: SsoProxy;
let accountId: string;
let roleName: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(argv: string[], env: Record<string, string>): Promise<Run> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let approved = false;
  const code = await main(argv, {
    env: { ...home.env, AWS_EC2_METADATA_DISABLED: 'true', ...env },
    stdout: (t) => stdout.push(t),
    stderr: (t) => {
      stderr.push(t);
      const m = /Code: ([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})/.exec(stderr.join(''));
      if (m && !approved) approved = fake.approve(m[1]);
    },
    openBrowser: async () => {},
  });
  return { code, stdout: stdout.join(''), stderr: stderr.join('') };
}

function ops(): Partial<Record<FakeOp, number>> {
  return { ...fake.stats.requests };
}
const n = (o: Partial<Record<FakeOp, number>>, k: FakeOp) => o[k] ?? 0;

/** The fake behind the https front, through HTTPS_PROXY; the front's CA trusted through AWS_CA_BUNDLE. */
function viaFront(extra: Record<string, string>): Record<string, string> {
  return { AWS_ENDPOINT_URL_SSO: front.url, AWS_ENDPOINT_URL_SSO_OIDC: front.url, AWS_CA_BUNDLE: ca.caFile, ...extra };
}

const tokenFile = async () => {
  const dir = home.paths.ssoCacheDir;
  const { readdir } = await import('node:fs/promises');
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json'));
  for (const f of names) {
    const j = JSON.parse(await readFile(join(dir, f), 'utf8')) as Record<string, unknown>;
    if (typeof j.accessToken === 'string') return join(dir, f);
  }
  throw new Error('no token file');
};

/**
 * Sign in, list, and refresh (the token made to expire within 15 minutes); `through()` counts the
 * proxy's work, and must grow at each step (undefined: a direct connection, checked by the caller).
 */
async function signInListRefresh(env: Record<string, string>, counter?: () => number): Promise<void> {
  let direct = 0;
  const through = counter ?? (() => ++direct);
  let seen = through();
  const login = await run(['login', '--sso-session', 'corp', '--device-code'], env);
  assert.equal(login.code, 0, login.stderr);
  assert.match(login.stdout, /Signed in to "corp"/);
  assert.ok(through() > seen, 'the sign-in went through the proxy');
  seen = through();

  const list = await run(['accounts', '--sso-session', 'corp', '--json'], env);
  assert.equal(list.code, 0, list.stderr);
  assert.equal((JSON.parse(list.stdout) as unknown[]).length, fake.accounts.length);
  assert.ok(through() > seen, 'the listing went through the proxy');
  seen = through();

  const file = await tokenFile();
  const text = await readFile(file, 'utf8');
  const soon = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await writeFile(file, text.replace(/("expiresAt":\s*")[^"]*(")/, `$1${soon}$2`));
  const before = ops();
  const again = await run(['accounts', '--sso-session', 'corp'], env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(n(ops(), 'token') - n(before, 'token'), 1, 'the token was refreshed');
  assert.ok(through() > seen, 'the refresh went through the proxy');
}

/** A port nothing listens on (just closed). */
async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, seed: 11, deviceInterval: 1 });
  accountId = fake.accounts[0].accountId;
  roleName = fake.accounts[0].roles[0];
  home = await tempHome('aws-sso-proxy-');
  ca = await makeTestCa(['127.0.0.1', ...ssoHosts('us-east-1')]);
  front = await startHttpsFront(fake.url, ca);
  plain = await startConnectProxy();
  authed = await startConnectProxy({ auth: { user: 'alice', password: PASSWORD } });
  inspecting = await startSsoProxy({ target: fake.url, hosts: ssoHosts('us-east-1'), ca });
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(
    home.paths.configFile,
    ['[sso-session corp]', `sso_start_url = ${START}`, 'sso_region = us-east-1', 'sso_registration_scopes = sso:account:access', '',
      '[profile dev]', 'sso_session = corp', `sso_account_id = ${accountId}`, `sso_role_name = ${roleName}`, ''].join('\n'),
  );
});

after(async () => {
  await inspecting.close();
  await authed.close();
  await plain.close();
  await front.close();
  await ca.cleanup();
  await fake.close();
  await home.cleanup();
});

beforeEach(async () => {
  await rm(home.paths.ssoCacheDir, { recursive: true, force: true });
  await rm(home.paths.cliCacheDir, { recursive: true, force: true });
});

test('a CONNECT proxy (HTTPS_PROXY): sign in, list and refresh all go through its tunnels', async () => {
  await signInListRefresh(viaFront({ HTTPS_PROXY: plain.url }), () => plain.tunnels);
});

test('https_proxy (lower case) wins over HTTPS_PROXY, as in the AWS CLI', async () => {
  const dead = `http://127.0.0.1:${await closedPort()}`;
  await signInListRefresh(viaFront({ HTTPS_PROXY: dead, https_proxy: plain.url }), () => plain.tunnels);
});

test('a CONNECT proxy with Basic authentication (credentials in the URL, percent-encoded): works, and --verbose never shows the password', async () => {
  assert.ok(authed.url.includes(encodeURIComponent(PASSWORD)));
  await signInListRefresh(viaFront({ HTTPS_PROXY: authed.url }), () => authed.tunnels);
  const r = await run(['accounts', '--sso-session', 'corp', '--verbose'], viaFront({ HTTPS_PROXY: authed.url }));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /through http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ \(HTTPS_PROXY\)/);
  for (const s of [PASSWORD, encodeURIComponent(PASSWORD)]) assert.ok(!(r.stdout + r.stderr).includes(s), 'no password in the output');
});

test('a wrong proxy password: exit 1 at once (one CONNECT, no retry), one line naming the proxy without the password', async () => {
  const ok = await run(['login', '--sso-session', 'corp', '--device-code'], viaFront({ HTTPS_PROXY: plain.url }));
  assert.equal(ok.code, 0, ok.stderr);
  const wrong = authed.url.replace(encodeURIComponent(PASSWORD), 'not-the-password');
  const rejected = authed.rejected;
  const before = ops();
  const r = await run(['accounts', '--sso-session', 'corp'], viaFront({ HTTPS_PROXY: wrong }));
  assert.equal(r.code, 1);
  assert.equal(authed.rejected - rejected, 1, 'asked the proxy once');
  assert.deepEqual(ops(), before, 'nothing reached the service');
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`the proxy http://alice:\\*\\*\\*@127\\.0\\.0\\.1:${authed.port} \\(HTTPS_PROXY\\) refused the tunnel to 127\\.0\\.0\\.1:\\d+ \\(407`, 'i'));
  assert.match(r.stderr, /user name and password/);
  assert.ok(!r.stderr.includes('not-the-password'));
});

test('a proxy that is down: exit 1 at once with ECONNREFUSED, naming the proxy without its password', async () => {
  const ok = await run(['login', '--sso-session', 'corp', '--device-code'], viaFront({ HTTPS_PROXY: plain.url }));
  assert.equal(ok.code, 0, ok.stderr);
  const port = await closedPort();
  const before = ops();
  const r = await run(['accounts', '--sso-session', 'corp'], viaFront({ HTTPS_PROXY: `http://bob:hunter2@127.0.0.1:${port}` }));
  assert.equal(r.code, 1);
  assert.deepEqual(ops(), before);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, new RegExp(`Could not connect to the proxy http://bob:\\*\\*\\*@127\\.0\\.0\\.1:${port} \\(HTTPS_PROXY\\): ECONNREFUSED`));
  assert.ok(!r.stderr.includes('hunter2'));
});

test('NO_PROXY=127.0.0.1 (and NO_PROXY=*) bypass the proxy: no tunnel, everything still works', async () => {
  for (const noProxy of ['127.0.0.1', '*', 'example.com, 127.0.0.1']) {
    await rm(home.paths.ssoCacheDir, { recursive: true, force: true });
    const tunnels = plain.tunnels;
    await signInListRefresh(viaFront({ HTTPS_PROXY: plain.url, NO_PROXY: noProxy }));
    assert.equal(plain.tunnels, tunnels, `NO_PROXY=${noProxy}: no tunnel`);
  }
  // An entry that does not match keeps the proxy.
  const tunnels = plain.tunnels;
  const r = await run(['login', '--sso-session', 'corp', '--device-code'], viaFront({ HTTPS_PROXY: plain.url, no_proxy: '127.0.0.2,.0.0.1.example' }));
  assert.equal(r.code, 0, r.stderr);
  assert.ok(plain.tunnels > tunnels);
});

test('a TLS-inspecting proxy with its CA in AWS_CA_BUNDLE: the real AWS hostnames, sign in, list and refresh', async () => {
  const env = { HTTPS_PROXY: inspecting.url, AWS_CA_BUNDLE: ca.caFile };
  await signInListRefresh(env, () => inspecting.forwarded.length);
  const hosts = new Set(inspecting.forwarded.map((f) => f.host));
  assert.deepEqual([...hosts].sort(), ['oidc.us-east-1.amazonaws.com', 'portal.sso.us-east-1.amazonaws.com']);
  assert.deepEqual(inspecting.refused, []);
});

test('the same proxy with its CA in NODE_EXTRA_CA_CERTS (added to the default authorities); without either, a certificate error', async () => {
  await signInListRefresh({ HTTPS_PROXY: inspecting.url, NODE_EXTRA_CA_CERTS: ca.caFile }, () => inspecting.forwarded.length);
  const forwarded = inspecting.forwarded.length;
  const r = await run(['accounts', '--sso-session', 'corp'], { HTTPS_PROXY: inspecting.url });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /could not be reached securely .*\((UNABLE_TO_|SELF_SIGNED|CERT_)/);
  assert.equal(inspecting.forwarded.length, forwarded, 'nothing was sent over the untrusted connection');
});

test('credential_process: a cached hit needs no network (a dead proxy and a missing bundle do not matter); a miss goes through the proxy', async () => {
  const env = viaFront({ HTTPS_PROXY: plain.url });
  const ok = await run(['login', '--sso-session', 'corp', '--device-code'], env);
  assert.equal(ok.code, 0, ok.stderr);
  const tunnels = plain.tunnels;
  const before = n(ops(), 'credentials');
  const miss = await run(['credentials', '--profile', 'dev'], env);
  assert.equal(miss.code, 0, miss.stderr);
  assert.equal(n(ops(), 'credentials') - before, 1);
  assert.ok(plain.tunnels > tunnels, 'GetRoleCredentials went through the proxy');

  const broken = viaFront({ HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`, AWS_CA_BUNDLE: join(home.dir, 'missing.pem') });
  const hit = await run(['credentials', '--profile', 'dev'], broken);
  assert.equal(hit.code, 0, hit.stderr);
  assert.equal(hit.stdout, miss.stdout);
  assert.equal(n(ops(), 'credentials') - before, 1, 'served from the cache');
});

test("the profile's ca_bundle, as the AWS CLI reads it: [default]'s for sign-in and listing, the named profile's for credentials; AWS_CA_BUNDLE wins", async () => {
  const original = await readFile(home.paths.configFile, 'utf8');
  try {
    // The TLS-inspecting proxy's CA only in [default]: sign in, list and refresh work with no AWS_CA_BUNDLE.
    await writeFile(home.paths.configFile, `${original}\n[default]\nca_bundle = ${ca.caFile}\n`);
    await signInListRefresh({ HTTPS_PROXY: inspecting.url }, () => inspecting.forwarded.length);

    // credentials --profile dev takes dev's ca_bundle (not default's, which names nothing usable now).
    await writeFile(home.paths.configFile, `${original.replace('[profile dev]\n', `[profile dev]\nca_bundle = ${ca.caFile}\n`)}\n[default]\nca_bundle = ${join(home.dir, 'gone.pem')}\n`);
    await rm(home.paths.cliCacheDir, { recursive: true, force: true });
    const forwarded = inspecting.forwarded.length;
    const creds = await run(['credentials', '--profile', 'dev'], { HTTPS_PROXY: inspecting.url });
    assert.equal(creds.code, 0, creds.stderr);
    assert.ok(inspecting.forwarded.length > forwarded, 'GetRoleCredentials went through the inspecting proxy');

    // [default]'s missing bundle stops a command that reads it, naming the profile and the file.
    const before = ops();
    const missing = await run(['accounts', '--sso-session', 'corp'], { HTTPS_PROXY: inspecting.url });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /ca_bundle of the profile "default" in .*config names .*gone\.pem, which cannot be read \(ENOENT\)/);
    // AWS_PROFILE picks the profile whose ca_bundle counts.
    const dev = await run(['accounts', '--sso-session', 'corp'], { HTTPS_PROXY: inspecting.url, AWS_PROFILE: 'dev' });
    assert.equal(dev.code, 0, dev.stderr);
    // AWS_CA_BUNDLE wins over a good ca_bundle.
    const env = await run(['accounts', '--sso-session', 'corp'], { HTTPS_PROXY: inspecting.url, AWS_PROFILE: 'dev', AWS_CA_BUNDLE: join(home.dir, 'nope.pem') });
    assert.equal(env.code, 1);
    assert.match(env.stderr, /AWS_CA_BUNDLE names .*nope\.pem/);
    assert.equal(n(ops(), 'accounts'), n(before, 'accounts') + 1, 'only the AWS_PROFILE=dev run reached the service');
  } finally {
    await writeFile(home.paths.configFile, original);
  }
});

test('a missing AWS_CA_BUNDLE or a proxy URL of another scheme: exit 1 before any request, saying which variable', async () => {
  const before = ops();
  const a = await run(['accounts', '--sso-session', 'corp'], viaFront({ AWS_CA_BUNDLE: join(home.dir, 'nope.pem') }));
  assert.equal(a.code, 1);
  assert.match(a.stderr, /AWS_CA_BUNDLE names .*nope\.pem, which cannot be read \(ENOENT\)/);
  const b = await run(['accounts', '--sso-session', 'corp'], viaFront({ HTTPS_PROXY: 'socks5://carol:pw@127.0.0.1:1080' }));
  assert.equal(b.code, 1);
  assert.match(b.stderr, /HTTPS_PROXY names a socks5 proxy \(socks5:\/\/carol:\*\*\*@127\.0\.0\.1:1080\); only http:\/\/ and https:\/\/ proxies/);
  assert.ok(!b.stderr.includes(':pw@'));
  assert.deepEqual(ops(), before);
});

test('a proxy that takes the connection but never answers the CONNECT: one attempt, an error naming it, and its socket closed', async () => {
  const accepted: net.Socket[] = [];
  let closedOne = (): void => undefined;
  // Resolves when the first accepted socket closes (the test's timeout is what bounds the wait).
  const firstClosed = new Promise<void>((r) => (closedOne = r));
  const silent = net.createServer((s) => {
    accepted.push(s);
    // Reads the CONNECT (so that the client's close is seen) and never answers.
    s.resume();
    s.on('close', () => closedOne());
    s.on('error', () => undefined);
  });
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
  const url = `http://carol:pw@127.0.0.1:${(silent.address() as AddressInfo).port}`;
  const env = viaFront({ HTTPS_PROXY: url });
  // The answer timeout shortened from its default (a second under the SDK's 10 s connection timeout).
  const portal = new Portal({ region: 'us-east-1', env, network: networkPort({ ...networkFromEnv(env), proxyAnswerMs: 300 }) });
  try {
    const t = fake.mintToken({ ttlSec: 3600 });
    await assert.rejects(portal.listAccounts(t.accessToken), (e) => {
      assert.ok(isSsoError(e, 'Network'), String(e));
      assert.match((e as Error).message, /Could not connect to the proxy http:\/\/carol:\*\*\*@127\.0\.0\.1:\d+ \(HTTPS_PROXY\): it took the connection but did not answer the CONNECT within 0\.3 s/);
      assert.ok(!(e as Error).message.includes(':pw@'));
      return true;
    });
    assert.equal(accepted.length, 1, 'not retried');
    // Our side closed the socket: the proxy sees it close, with nothing left open to it.
    await firstClosed;
  } finally {
    portal.dispose();
    for (const s of accepted) s.destroy();
    await new Promise<void>((r) => silent.close(() => r()));
  }
});

const CLI = join(__dirname, '../../../dist/cli.js');

test('the bundled dist/cli.js, as a process: lists through the CONNECT proxy with Basic authentication, the front trusted through NODE_EXTRA_CA_CERTS', { skip: !existsSync(CLI) && 'run `npm run build` first' }, async () => {
  const t = fake.mintToken({ ttlSec: 3600 });
  const session = { name: 'corp', startUrl: START, region: 'us-east-1', scopes: ['sso:account:access'] };
  await writeTokenFile(home.paths, session, { startUrl: START, region: 'us-east-1', accessToken: t.accessToken, expiresAt: t.expiresAt });
  const tunnels = authed.tunnels;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...home.env, AWS_ENDPOINT_URL_SSO: front.url, AWS_ENDPOINT_URL_SSO_OIDC: front.url, HTTPS_PROXY: authed.url, NODE_EXTRA_CA_CERTS: ca.caFile };
  const r = await promisify(execFile)(process.execPath, [CLI, 'accounts', '--sso-session', 'corp', '--json'], { env, encoding: 'utf8', timeout: 60_000 });
  assert.equal((JSON.parse(r.stdout) as unknown[]).length, fake.accounts.length);
  assert.ok(authed.tunnels > tunnels, 'through the proxy');
  const bad = await promisify(execFile)(process.execPath, [CLI, 'accounts', '--sso-session', 'corp'], {
    env: { ...env, HTTPS_PROXY: authed.url.replace(encodeURIComponent(PASSWORD), 'wrong') },
    encoding: 'utf8',
    timeout: 60_000,
  }).then(
    () => assert.fail('expected exit 1'),
    (e: { code?: number; stderr?: string }) => e,
  );
  assert.equal(bad.code, 1);
  // (The SDK may warn about the Node version on a line of its own.)
  assert.match(bad.stderr ?? '', /^aws-sso-profiles: The proxy http:\/\/alice:\*\*\*@127\.0\.0\.1:\d+ \(HTTPS_PROXY\) refused the tunnel .*\(407 Proxy Authentication Required\)/m);
});
