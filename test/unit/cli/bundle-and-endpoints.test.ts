// The bundled binary works on its own, and no endpoint_url from the config file (or the global
// AWS_ENDPOINT_URL) ever receives a request carrying the SSO token.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { tempHome, TempHome } from '../../helpers/tempHome';

const CLI = join(__dirname, '../../../dist/cli.js');
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
let fake: FakeIdentityCenter;
let home: TempHome;
let trap: http.Server;
const trapped: string[] = [];

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 5, seed: 3, autoApprove: true, deviceInterval: 1 });
  home = await tempHome();
  trap = http.createServer((req, res) => {
    trapped.push(`${req.method} ${req.url} ${Object.keys(req.headers).join(',')}`);
    res.statusCode = 500;
    res.end();
  });
  await new Promise<void>((r) => trap.listen(0, '127.0.0.1', r));
  const trapUrl = `http://127.0.0.1:${(trap.address() as AddressInfo).port}`;
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(
    home.paths.configFile,
    [
      '[default]',
      `endpoint_url = ${trapUrl}`,
      'services = trap',
      '',
      '[services trap]',
      'sso =',
      `  endpoint_url = ${trapUrl}`,
      'sso_oidc =',
      `  endpoint_url = ${trapUrl}`,
      '',
      '[sso-session org]',
      'sso_start_url = https://d-1234567890.awsapps.com/start',
      'sso_region = us-east-1',
      '',
    ].join('\n'),
  );
  process.env.TRAP_URL = trapUrl;
});

after(async () => {
  await fake.close();
  await new Promise((r) => trap.close(r));
  await home.cleanup();
});

function cli(args: string[]) {
  return promisify(execFile)(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH, ...home.env, ...fake.env(), AWS_ENDPOINT_URL: process.env.TRAP_URL },
    encoding: 'utf8',
    timeout: 60_000,
  });
}

test('the bundled dist/cli.js signs in, populates, refreshes and signs out; the config file\u2019s endpoint_url never gets a request', { skip: !existsSync(CLI) && 'run `npm run build` first' }, async () => {
  const login = await cli(['login', '--sso-session', 'org', '--no-browser']);
  assert.match(login.stdout, /Signed in to "org"/);
  const pop = await cli(['populate', '--sso-session', 'org', '--json']);
  const summary = JSON.parse(pop.stdout);
  assert.equal(summary.added.length, fake.accounts.reduce((n, a) => n + a.roles.length, 0));
  const status = JSON.parse((await cli(['status', '--json'])).stdout);
  assert.equal(status[0].signedIn, true);
  // The refresh path too: a token inside the 15-minute window is renewed before listing.
  const file = join(home.paths.ssoCacheDir, `${sha1('org')}.json`);
  const tok = JSON.parse(await readFile(file, 'utf8'));
  tok.expiresAt = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  await writeFile(file, JSON.stringify(tok));
  const before = fake.stats.requests.token ?? 0;
  await cli(['accounts', '--sso-session', 'org', '--json']);
  assert.equal((fake.stats.requests.token ?? 0) - before, 1, 'the token was refreshed');
  await cli(['logout', '--all']);
  assert.deepEqual(trapped, [], 'requests reached the endpoint_url from the config file');
  assert.ok((fake.stats.requests.accounts ?? 0) > 0, 'the fake served the listing');
  const printed = login.stdout + login.stderr + pop.stdout + pop.stderr;
  for (const s of fake.issuedSecrets()) assert.ok(!printed.includes(s));
});

test('the binary prints usage and exits 2 on a bad command', { skip: !existsSync(CLI) }, async () => {
  await assert.rejects(cli(['frobnicate']), (e: { code?: number; stderr?: string }) => e.code === 2 && /Usage:/.test(e.stderr ?? ''));
  const help = await cli(['--help']);
  assert.match(help.stdout, /populate/);
});

test('measured hazard: a naive SDK client follows the config file\u2019s endpoint_url with the bearer token; ours resolves the real SSO host', async () => {
  // The SDK reads the config file named by the process environment.
  const saved = { ...process.env };
  Object.assign(process.env, home.env);
  delete process.env.AWS_ENDPOINT_URL_SSO;
  delete process.env.AWS_ENDPOINT_URL_SSO_OIDC;
  delete process.env.AWS_PROFILE;
  try {
    const { SSOClient, ListAccountsCommand } = await import('@aws-sdk/client-sso');
    const naive = new SSOClient({ region: 'us-east-1', maxAttempts: 1 });
    trapped.length = 0;
    await assert.rejects(naive.send(new ListAccountsCommand({ accessToken: 'naive-token-value' })));
    naive.destroy();
    assert.equal(trapped.length, 1, 'the naive client sent its request to endpoint_url');
    assert.match(trapped[0], /x-amz-sso_bearer_token/);

    const { createPortalClient, createOidcClient } = await import('../../../src/core/endpoints');
    for (const client of [createPortalClient('us-east-1', { env: {} }), createOidcClient('us-east-1', { env: {} })]) {
      const ep = await (client.config.endpoint as () => Promise<{ hostname: string; protocol: string }>)();
      assert.equal(ep.protocol, 'https:');
      assert.match(ep.hostname, /^(portal\.sso|oidc)\.us-east-1\.amazonaws\.com$/);
      client.destroy();
    }
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
