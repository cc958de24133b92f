// Trust §4 (partial): non-https start URLs refused; the PKCE listener answers only its path and
// state on 127.0.0.1 and closes afterwards; cache files 0600 / folders 0700 after rewriting
// files someone else created; the config file keeps its mode.
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { SsoAuth } from '../../../src/core/auth/session';
import { tokenFilePath } from '../../../src/core/auth/tokenCache';
import { FakeIdentityCenter, fakeBrowser } from '../../fakes/identityCenter';
import { assertTokenFile, seedToken, SESSION, trustHome, TrustHome } from '../../helpers/trust-session';

let fake: FakeIdentityCenter;
const homes: TrustHome[] = [];
before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, autoApprove: true, deviceInterval: 1 });
});
after(async () => {
  await fake.close();
  for (const h of homes) await h.cleanup();
});

function get(url: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    }).on('error', reject);
  });
}

test('start URLs other than https (or http, upgraded) are refused and nothing is written', async () => {
  const h = await trustHome(fake, '# mine\n');
  homes.push(h);
  for (const url of ['ftp://x/start', 'file:///etc/passwd', 'javascript://x', 'https://user:pw@x.awsapps.com/start']) {
    const out: string[] = [];
    const code = await main(['add-session', '--sso-session', 'x', '--start-url', url, '--region', 'us-east-1'], {
      env: h.fullEnv,
      stdout: (s) => out.push(s),
      stderr: (s) => out.push(s),
    });
    assert.equal(code, 1, url);
    assert.match(out.join(''), /must use https|must not contain a user name/, url);
  }
  assert.equal(await readFile(h.paths.configFile, 'utf8'), '# mine\n');
  // Plain http names the same portal and carries no token: it is written as https, never as http.
  const code = await main(['add-session', '--sso-session', 'x', '--start-url', 'http://d-1.awsapps.com/start', '--region', 'us-east-1'], {
    env: h.fullEnv,
    stdout: () => undefined,
    stderr: () => undefined,
  });
  assert.equal(code, 0);
  assert.match(await readFile(h.paths.configFile, 'utf8'), /^sso_start_url = https:\/\/d-1\.awsapps\.com\/start$/m);
  assert.ok(!(await readFile(h.paths.configFile, 'utf8')).includes('http://'));
});

test('the PKCE listener: wrong path → 404, wrong or missing state → 400 and still waiting, closed after success', async () => {
  const h = await trustHome(fake);
  homes.push(h);
  let port = 0;
  const probes: Record<string, number> = {};
  const token = await new SsoAuth({ paths: h.paths, env: h.fullEnv }).loginWithPkce(SESSION, {
    timeoutMs: 15_000,
    openBrowser: async (url) => {
      const u = new URL(url);
      const redirect = new URL(u.searchParams.get('redirect_uri')!);
      assert.equal(redirect.hostname, '127.0.0.1');
      port = Number(redirect.port);
      const base = `http://127.0.0.1:${port}`;
      probes.wrongPath = (await get(`${base}/other?state=${u.searchParams.get('state')}&code=x`)).status;
      probes.root = (await get(`${base}/`)).status;
      probes.wrongState = (await get(`${base}${redirect.pathname}?state=nope&code=x`)).status;
      probes.noState = (await get(`${base}${redirect.pathname}?code=x`)).status;
      // Still waiting: the real browser round trip completes the sign-in.
      const visit = await fakeBrowser(url);
      probes.real = visit.status;
    },
  });
  assert.deepEqual(probes, { wrongPath: 404, root: 404, wrongState: 400, noState: 400, real: 200 });
  assert.ok(fake.isAccessTokenValid(token.accessToken));
  await assert.rejects(get(`http://127.0.0.1:${port}/oauth/callback`), (e: NodeJS.ErrnoException) => e.code === 'ECONNREFUSED');
});

test('cache files 0600 and folders 0700 even when someone else created them 0644/0755; the config keeps its mode', { skip: process.platform === 'win32' }, async () => {
  const h = await trustHome(fake);
  homes.push(h);
  await chmod(h.paths.configFile, 0o644);
  await mkdir(h.paths.ssoCacheDir, { recursive: true, mode: 0o755 });
  await chmod(h.paths.ssoCacheDir, 0o755);
  await seedToken(fake, h.paths, 30_000);
  await chmod(tokenFilePath(h.paths, SESSION), 0o644);
  await new SsoAuth({ paths: h.paths, env: h.fullEnv }).getAccessToken(SESSION); // refresh rewrites it
  await assertTokenFile(h.paths, 'after refresh');
  const out: string[] = [];
  const io = { env: h.fullEnv, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
  assert.equal(await main(['populate', '--sso-session', 'corp'], io), 0, out.join(''));
  assert.equal((await stat(h.paths.configFile)).mode & 0o777, 0o644, 'the config file keeps its mode');
  assert.equal((await stat(`${h.paths.configFile}.bak`)).mode & 0o777, 0o600, 'the backup is private');
});
