// Sign-in, refresh and sign-out with the real SDK clients against the fake IAM Identity Center.
import assert from 'node:assert/strict';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { registrationKey } from '../../../src/core/auth/registration';
import { SsoAuth } from '../../../src/core/auth/session';
import { tokenFilePath } from '../../../src/core/auth/tokenCache';
import { isSsoError, SsoError } from '../../../src/core/errors';
import { realSleep, Sleep } from '../../../src/core/ports';
import type { SsoSession } from '../../../src/core/types';
import { fakeBrowser, FakeIdentityCenter, FakeOptions } from '../../fakes/identityCenter';
import { FakeTime, fakeTime } from '../../helpers/fakeTime';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = { name: 'fake', startUrl: 'https://d-fake.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };

let processHome: TempHome;
let home: TempHome;
let time: FakeTime;
let fake: FakeIdentityCenter | undefined;
let logs: string[];

// The SDK reads the shared config files for some settings; keep it away from the real ~/.aws.
before(async () => {
  processHome = await tempHome();
  Object.assign(process.env, processHome.env);
});
after(() => processHome.cleanup());

beforeEach(async () => {
  home = await tempHome();
  time = fakeTime();
  logs = [];
});
afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await home.cleanup();
});

async function start(opts: FakeOptions = {}): Promise<FakeIdentityCenter> {
  fake = await FakeIdentityCenter.start({ now: time.clock.now, ...opts });
  return fake;
}

function auth(sleep: Sleep = time.sleep): SsoAuth {
  return new SsoAuth({ paths: home.paths, env: { ...home.env, ...fake!.env() }, clock: time.clock, sleep, log: (m) => logs.push(m) });
}

async function rejectsWith(p: Promise<unknown>, code: SsoError['code']): Promise<SsoError> {
  const e = await p.then(() => assert.fail('expected a rejection'), (x: unknown) => x);
  assert.ok(isSsoError(e, code), `expected ${code}, got ${String(e)}`);
  return e as SsoError;
}

const exists = (f: string) => access(f).then(() => true, () => false);

function assertNoLeaks(extra: string[] = []) {
  for (const t of [...logs, ...extra]) for (const s of fake!.issuedSecrets()) assert.ok(!t.includes(s), `secret leaked into: ${t}`);
}

describe('against the fake Identity Center', () => {
  test('device code: approved after two pending polls; token, refresh token and registration cached', async () => {
    const f = await start();
    let userCode = '';
    let sleeps = 0;
    const sleep: Sleep = async (ms, signal) => {
      if (++sleeps === 3) assert.ok(f.approve(userCode));
      return time.sleep(ms, signal);
    };
    const token = await auth(sleep).loginWithDeviceCode(session, { onPrompt: (p) => (userCode = p.userCode) });
    assert.deepEqual(time.slept, [5000, 5000, 5000]);
    assert.equal(f.stats.requests.token, 3);
    assert.ok(f.isAccessTokenValid(token.accessToken));
    const disk = JSON.parse(await readFile(tokenFilePath(home.paths, session), 'utf8'));
    assert.equal(disk.accessToken, token.accessToken);
    assert.ok(disk.refreshToken);
    assert.match(disk.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const reg = JSON.parse(await readFile(join(home.paths.ssoCacheDir, `${registrationKey(session, 'device')}.json`), 'utf8'));
    assert.deepEqual(Object.keys(reg), ['clientId', 'clientSecret', 'expiresAt', 'scopes']);
    assert.equal(reg.clientId, token.clientId);
    assertNoLeaks();
  });

  test('slow_down from the service raises the interval for good', async () => {
    const f = await start({ autoApprove: true });
    f.slowDown(2);
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 10000, 15000]);
  });

  test('denied and expired device codes', async () => {
    const f = await start();
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: (p) => void f.deny(p.userCode) }), 'AccessDenied');
    await rejectsWith(auth().loginWithDeviceCode(session, { onPrompt: () => f.expireDeviceCodes() }), 'ExpiredCode');
    assert.equal(await auth().readToken(session), undefined);
  });

  test('5xx and reset connections while polling back off and recover', async () => {
    const f = await start({ autoApprove: true });
    f.injectFault({ op: 'token', status: 500 });
    f.injectFault({ op: 'token', reset: true });
    const token = await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.deepEqual(time.slept, [5000, 10000, 20000]);
    assert.ok(f.isAccessTokenValid(token.accessToken));
  });

  test('a registration the service forgot is replaced once', async () => {
    const f = await start({ autoApprove: true });
    const first = await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    f.expireRegistrations();
    const second = await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    assert.notEqual(second.clientId, first.clientId);
    assert.equal(f.stats.requests.register, 2);
  });

  test('PKCE through a browser: S256, state and redirect checked by the service', async () => {
    const f = await start({ autoApprove: true });
    const visits: Promise<unknown>[] = [];
    // The wait for the browser in real time (5 minutes): the fake answers at once.
    const token = await auth(realSleep).loginWithPkce(session, { openBrowser: (url) => void visits.push(fakeBrowser(url)) });
    const visit = (await visits[0]) as { status: number; body: string; url: string };
    assert.equal(visit.status, 200);
    assert.match(visit.url, /^http:\/\/127\.0\.0\.1:\d+\/oauth\/callback\?/);
    assert.ok(f.isAccessTokenValid(token.accessToken));
    assert.ok(token.refreshToken);
    assert.equal((await auth().readToken(session))?.accessToken, token.accessToken);
    assertNoLeaks([visit.body]);
  });

  test('PKCE denied in the browser', async () => {
    const f = await start();
    await rejectsWith(
      auth(realSleep).loginWithPkce(session, {
        openBrowser: async (url) => {
          void fakeBrowser(url).catch(() => undefined);
          await f.authorizationHeld();
          f.denyAuthorization();
        },
      }),
      'AccessDenied',
    );
  });

  test('refresh in the window rotates the refresh token; revoked then expired ends the session', async () => {
    const f = await start({ autoApprove: true, accessTokenTtl: 3600 });
    const a = auth();
    const first = await a.loginWithDeviceCode(session, { onPrompt: () => undefined });
    time.advance(50 * 60_000);
    const second = await a.getAccessToken(session);
    assert.notEqual(second.accessToken, first.accessToken);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.ok(f.isAccessTokenValid(second.accessToken));
    assert.equal(JSON.parse(await readFile(tokenFilePath(home.paths, session), 'utf8')).refreshToken, second.refreshToken);
    f.revokeRefreshTokens();
    time.advance(60 * 60_000);
    const e = await rejectsWith(a.getAccessToken(session), 'SessionEnded');
    assertNoLeaks([e.message]);
  });

  test('refresh with a registration the service expired ends the session', async () => {
    const f = await start({ autoApprove: true, accessTokenTtl: 600 });
    await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    f.expireRegistrations();
    time.advance(11 * 60_000);
    await rejectsWith(auth().getAccessToken(session), 'SessionEnded');
  });

  test('logout revokes the token at the portal and deletes the cache files', async () => {
    const f = await start({ autoApprove: true });
    const token = await auth().loginWithDeviceCode(session, { onPrompt: () => undefined });
    await auth().logout(session);
    assert.equal(f.isAccessTokenValid(token.accessToken), false);
    assert.equal(f.stats.requests.logout, 1);
    assert.equal(await exists(tokenFilePath(home.paths, session)), false);
    await rejectsWith(auth().getAccessToken(session), 'NotSignedIn');
    assertNoLeaks();
  });
});
