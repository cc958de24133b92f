// Sign-out: Logout API best effort, then exactly this session's token and role-credential files go.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { access, mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { roleCredentialCacheKey, roleCredentialFilePath } from '../../../src/core/auth/logout';
import { SsoAuth } from '../../../src/core/auth/session';
import { tokenFilePath, writeTokenFile } from '../../../src/core/auth/tokenCache';
import type { SsoSession } from '../../../src/core/types';
import { ClientDouble, networkError, script, sdkError } from '../../helpers/auth-oidcDouble';
import { fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const A: SsoSession = { name: 'alpha', startUrl: 'https://a.awsapps.com/start', region: 'us-west-2', scopes: ['sso:account:access'] };
const B: SsoSession = { name: 'beta', startUrl: 'https://a.awsapps.com/start', region: 'us-west-2', scopes: ['sso:account:access'] };
const L: SsoSession = { startUrl: 'https://a.awsapps.com/start', region: 'us-west-2', scopes: ['sso:account:access'] };
const roleX = { accountId: '111111111111', roleName: 'Admin' };
const roleY = { accountId: '222222222222', roleName: 'ReadOnly' };

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const exists = (f: string) => access(f).then(() => true, () => false);

let home: TempHome;
let portal: ClientDouble;
let logs: string[];
const time = fakeTime();

function auth() {
  return new SsoAuth({ paths: home.paths, env: home.env, clock: time.clock, sleep: time.sleep, portalClient: () => portal, log: (m) => logs.push(m) });
}

async function signIn(s: SsoSession): Promise<string> {
  const accessToken = portal.secret(`aoa-${s.name ?? 'legacy'}`);
  await writeTokenFile(home.paths, s, { startUrl: s.startUrl, region: 'us-west-2', accessToken, expiresAt: time.clock.now() + 3600_000 });
  return accessToken;
}

async function cacheRole(s: SsoSession, role: { accountId: string; roleName: string }): Promise<string> {
  const f = roleCredentialFilePath(home.paths, s, role);
  await mkdir(home.paths.cliCacheDir, { recursive: true });
  await writeFile(f, JSON.stringify({ ProviderType: 'sso', Credentials: { AccessKeyId: 'ASIA' } }));
  return f;
}

beforeEach(async () => {
  home = await tempHome();
  portal = new ClientDouble();
  logs = [];
});
afterEach(() => home.cleanup());

describe('role-credential cache key', () => {
  test('sha1 of compact sorted JSON with sessionName, or startUrl for a legacy profile', () => {
    assert.equal(roleCredentialCacheKey(A, roleX), sha1('{"accountId":"111111111111","roleName":"Admin","sessionName":"alpha"}'));
    assert.equal(roleCredentialCacheKey(L, roleX), sha1('{"accountId":"111111111111","roleName":"Admin","startUrl":"https://a.awsapps.com/start"}'));
    assert.equal(roleCredentialFilePath(home.paths, A, roleY), join(home.paths.cliCacheDir, `${roleCredentialCacheKey(A, roleY)}.json`));
  });
});

describe('logout', () => {
  test('revokes the token and deletes exactly this session\'s files', async () => {
    const tokenA = await signIn(A);
    await signIn(B);
    await signIn(L);
    const ax = await cacheRole(A, roleX);
    const ay = await cacheRole(A, roleY);
    const bx = await cacheRole(B, roleX);
    const lx = await cacheRole(L, roleX);
    const unrelated = join(home.paths.cliCacheDir, 'assume-role-cache.json');
    await writeFile(unrelated, '{}');
    portal.on('Logout', script({}));

    await auth().logout(A, { roles: [roleX, roleY] });

    assert.deepEqual(portal.calls.map((c) => [c.op, c.input]), [['Logout', { accessToken: tokenA }]]);
    assert.equal(await exists(tokenFilePath(home.paths, A)), false);
    assert.equal(await exists(ax), false);
    assert.equal(await exists(ay), false);
    for (const f of [tokenFilePath(home.paths, B), tokenFilePath(home.paths, L), bx, lx, unrelated]) assert.equal(await exists(f), true, f);
    assert.equal((await readdir(home.paths.cliCacheDir)).length, 3);
    for (const l of logs) for (const s of portal.issued) assert.ok(!l.includes(s));
  });

  test('a legacy profile\'s files are found by start URL', async () => {
    await signIn(L);
    await signIn(A);
    const lx = await cacheRole(L, roleX);
    const ax = await cacheRole(A, roleX);
    portal.on('Logout', script({}));
    await auth().logout(L, { roles: [roleX] });
    assert.equal(await exists(tokenFilePath(home.paths, L)), false);
    assert.equal(await exists(lx), false);
    assert.equal(await exists(ax), true);
    assert.equal(await exists(tokenFilePath(home.paths, A)), true);
  });

  for (const [what, failure] of [
    ['an expired token (401)', () => sdkError('UnauthorizedException', 401)],
    ['an unreachable service', networkError],
  ] as const) {
    test(`${what} is logged and the files still go`, async () => {
      const token = await signIn(A);
      const ax = await cacheRole(A, roleX);
      portal.on('Logout', script(failure));
      await auth().logout(A, { roles: [roleX] });
      assert.equal(await exists(tokenFilePath(home.paths, A)), false);
      assert.equal(await exists(ax), false);
      assert.ok(logs.some((l) => l.includes('Logout call') && l.includes('failed')));
      assert.ok(logs.every((l) => !l.includes(token)));
    });
  }

  test('without a token file nothing is called and the role files still go', async () => {
    const ax = await cacheRole(A, roleX);
    await auth().logout(A, { roles: [roleX] });
    assert.equal(portal.calls.length, 0);
    assert.equal(await exists(ax), false);
  });

  test('a corrupt token file is deleted without a Logout call', async () => {
    await mkdir(home.paths.ssoCacheDir, { recursive: true });
    await writeFile(tokenFilePath(home.paths, A), '{"accessTok');
    await auth().logout(A);
    assert.equal(portal.calls.length, 0);
    assert.equal(await exists(tokenFilePath(home.paths, A)), false);
  });
});
