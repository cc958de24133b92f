// Trust §3: faults of the (fake) IAM Identity Center. Each gives a specific SsoError, no crash,
// no partial or corrupt token file (old or new, valid JSON, 0600), and the next attempt recovers.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { SsoAuth } from '../../../src/core/auth/session';
import { createOidcClient, createPortalClient } from '../../../src/core/endpoints';
import { isSsoError, SsoError, SsoErrorCode } from '../../../src/core/errors';
import { Portal } from '../../../src/core/portal/portal';
import { realSleep } from '../../../src/core/ports';
import { FakeIdentityCenter, FaultOp } from '../../fakes/identityCenter';
import { fakeTime } from '../../helpers/fakeTime';
import { makeOrg, serviceError, SimPortalClient } from '../../helpers/portal-simClient';
import { VirtualTime } from '../../helpers/portal-virtualTime';
import { assertTokenFile, seedToken, SESSION, trustHome, TrustHome } from '../../helpers/trust-session';

let fake: FakeIdentityCenter;
const homes: TrustHome[] = [];
let faults = 0;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 6, seed: 11, deviceInterval: 1 });
});
after(async () => {
  await fake.close();
  for (const h of homes) await h.cleanup();
});

async function home(): Promise<TrustHome> {
  const h = await trustHome(fake);
  homes.push(h);
  return h;
}

function inject(op: FaultOp, f: Omit<Parameters<FakeIdentityCenter['injectFault']>[0], 'op'>): void {
  fake.injectFault({ op, ...f });
  faults += f.times ?? 1;
}

function auth(h: TrustHome, extra: Partial<ConstructorParameters<typeof SsoAuth>[0]> = {}): SsoAuth {
  return new SsoAuth({ paths: h.paths, env: h.fullEnv, sleep: async () => undefined, ...extra });
}

async function rejectsWith(p: Promise<unknown>, code: SsoErrorCode, phrase: RegExp): Promise<SsoError> {
  let err: unknown;
  await assert.rejects(p, (e) => {
    err = e;
    return true;
  });
  assert.ok(isSsoError(err), `an SsoError, got ${String(err)}`);
  assert.equal(err.code, code, `${err.code}: ${err.message}`);
  assert.match(err.message, phrase);
  return err;
}

/** A token that must be refreshed and cannot be used as it is (less than a minute left). */
const ALMOST_EXPIRED = 30_000;

test('refresh: 5xx burst, connection reset, timeout, truncated and malformed JSON → specific errors, the old token file intact; then recovery', async (t) => {
  const h = await home();
  const seeded = await seedToken(fake, h.paths, ALMOST_EXPIRED);
  const original = await assertTokenFile(h.paths, 'seeded');
  const cases: Array<{ name: string; fault: () => void; code: SsoErrorCode; phrase: RegExp }> = [
    { name: '500', fault: () => inject('token', { status: 500 }), code: 'Network', phrase: /IAM Identity Center in us-east-1 failed while renewing the sign-in \(HTTP 500\)/ },
    { name: '503', fault: () => inject('token', { status: 503 }), code: 'Network', phrase: /failed while renewing the sign-in \(HTTP 503\)/ },
    { name: 'reset', fault: () => inject('token', { reset: true }), code: 'Network', phrase: /Could not reach IAM Identity Center in us-east-1 while renewing the sign-in \(ECONNRESET\)/ },
    { name: 'truncated JSON', fault: () => inject('token', { body: '{"accessToken":"aoaTRUNC', status: 200 }), code: 'BadResponse', phrase: /IAM Identity Center/ },
    { name: 'not JSON', fault: () => inject('token', { body: '<html>gateway</html>', status: 200 }), code: 'BadResponse', phrase: /IAM Identity Center/ },
    { name: 'JSON without a token', fault: () => inject('token', { body: '{"tokenType":"Bearer"}', status: 200 }), code: 'BadResponse', phrase: /without an access token/ },
  ];
  for (const c of cases) {
    c.fault();
    const a = auth(h);
    await t.test(c.name, async () => {
      await rejectsWith(a.getAccessToken(SESSION), c.code, c.phrase);
      assert.deepEqual(await assertTokenFile(h.paths, c.name), original, 'the old token file, unchanged');
    });
    fake.clearFaults();
  }
  // Recovery: the next attempt refreshes and writes a whole new file.
  const fresh = await auth(h).getAccessToken(SESSION);
  assert.notEqual(fresh.accessToken, seeded.accessToken);
  assert.ok(fake.isAccessTokenValid(fresh.accessToken));
  const now = await assertTokenFile(h.paths, 'after recovery');
  assert.equal(now.accessToken, fresh.accessToken);
  t.diagnostic(`${cases.length} refresh faults, then a good refresh`);
});

/** Long enough that only the client's request timeout can end the call (the fake's timers end with it). */
const NEVER_MS = 10 * 60_000;

/** The SDK's request timeout ended the call (throwOnRequestTimeout), not an answer. */
function endedByRequestTimeout(e: SsoError): void {
  assert.equal((e.cause as Error | undefined)?.name, 'TimeoutError', `cause: ${String(e.cause)}`);
}

test('refresh against a service that never answers: Network after the request timeout, the old token file intact', {}, async () => {
  const h = await home();
  await seedToken(fake, h.paths, ALMOST_EXPIRED);
  const original = await assertTokenFile(h.paths);
  inject('token', { delayMs: NEVER_MS });
  const a = auth(h, { oidcClient: (r) => createOidcClient(r, { env: h.fullEnv, requestTimeoutMs: 300 }) });
  try {
    endedByRequestTimeout(await rejectsWith(a.getAccessToken(SESSION), 'Network', /renewing the sign-in \(ETIMEDOUT\)/));
    assert.deepEqual(await assertTokenFile(h.paths), original);
  } finally {
    fake.clearFaults();
  }
});

test('refresh: a revoked refresh token and an expired registration → SessionEnded "sign in again"; a new sign-in recovers', async () => {
  const h = await home();
  await seedToken(fake, h.paths, ALMOST_EXPIRED);
  const before = await assertTokenFile(h.paths);
  fake.revokeRefreshTokens();
  await rejectsWith(auth(h).getAccessToken(SESSION), 'SessionEnded', /session "corp" has ended \(the refresh token is no longer valid\)\. Sign in again/);
  assert.deepEqual(await assertTokenFile(h.paths), before);

  await seedToken(fake, h.paths, ALMOST_EXPIRED);
  fake.expireRegistrations();
  await rejectsWith(auth(h).getAccessToken(SESSION), 'SessionEnded', /client registration is no longer valid\)\. Sign in again/);

  // An expiry the client can see itself: no request at all.
  const t0 = Date.now();
  const tok = await seedToken(fake, h.paths, ALMOST_EXPIRED);
  const ft = fakeTime(t0 + 200 * 86_400_000);
  const requests = fake.requests.length;
  await rejectsWith(auth(h, { clock: ft.clock }).getAccessToken(SESSION), 'SessionEnded', /expired|ended/);
  assert.equal(fake.requests.length, requests, 'no request for a registration known to be expired');
  assert.ok(tok);

  // The next sign-in registers again and works.
  fake.clearFaults();
  const a = auth(h);
  const p = a.loginWithDeviceCode(SESSION, { onPrompt: (pr) => void fake.approve(pr.userCode) });
  const t2 = await p;
  assert.ok(fake.isAccessTokenValid(t2.accessToken));
  await assertTokenFile(h.paths, 'after sign-in');
});

test('device sign-in: denied, expired code (by time and by the service), resets and 5xx while polling', async (t) => {
  const h = await home();
  // Denied in the browser.
  await rejectsWith(auth(h).loginWithDeviceCode(SESSION, { onPrompt: (p) => void fake.deny(p.userCode) }), 'AccessDenied', /denied/);
  // The service says the code expired.
  await rejectsWith(auth(h).loginWithDeviceCode(SESSION, { onPrompt: () => fake.expireDeviceCodes() }), 'ExpiredCode', /expired before it was approved\. Start the sign-in again/);
  // Our own deadline passes (a clock that jumps past the code's lifetime while waiting).
  const ft = fakeTime(Date.now());
  await rejectsWith(
    auth(h, { clock: ft.clock, sleep: async (ms) => ft.advance(ms * 1000) }).loginWithDeviceCode(SESSION, { onPrompt: () => undefined }),
    'ExpiredCode',
    /expired/,
  );
  // Transient failures while polling are retried; then approval goes through.
  inject('token', { status: 500, times: 2 });
  inject('token', { reset: true, times: 1 });
  inject('token', { status: 429, times: 1 });
  const tok = await auth(h).loginWithDeviceCode(SESSION, { onPrompt: (p) => void fake.approve(p.userCode) });
  assert.ok(fake.isAccessTokenValid(tok.accessToken));
  await assertTokenFile(h.paths, 'after polling faults');
  // The service down for registration: Network, nothing written over the good token.
  const good = await assertTokenFile(h.paths);
  inject('register', { status: 500 });
  inject('device', { reset: true });
  const h2 = await home();
  await rejectsWith(auth(h2).loginWithDeviceCode(SESSION, { onPrompt: () => undefined }), 'Network', /IAM Identity Center in us-east-1 failed while registering this client \(HTTP 500\)/);
  await rejectsWith(auth(h2).loginWithDeviceCode(SESSION, { onPrompt: () => undefined }), 'Network', /Could not reach IAM Identity Center in us-east-1 while signing in with a device code/);
  inject('device', { body: '{"deviceCode":', status: 200 });
  await rejectsWith(auth(h2).loginWithDeviceCode(SESSION, { onPrompt: () => undefined }), 'BadResponse', /IAM Identity Center/);
  assert.deepEqual(await assertTokenFile(h.paths), good);
  fake.clearFaults();
  t.diagnostic(`faults injected so far: ${faults}`);
});

test('PKCE sign-in denied in the browser, or a token endpoint that fails: clear errors, the listener closed', async () => {
  const h = await home();
  // The browser is waited for in real time; each case below ends on an event, not on the clock.
  const a = auth(h, { sleep: realSleep });
  const denied = a.loginWithPkce(SESSION, {
    openBrowser: async (url) => {
      // The authorization request is held by the fake until decided.
      void fetch(url, { redirect: 'follow' }).catch(() => undefined);
      await fake.authorizationHeld();
      fake.denyAuthorization();
    },
  });
  await rejectsWith(denied, 'AccessDenied', /denied/);
  inject('token', { status: 500 });
  const failing = a.loginWithPkce(SESSION, {
    openBrowser: async (url) => {
      void fetch(url, { redirect: 'follow' }).catch(() => undefined);
      await fake.authorizationHeld();
      fake.approveAuthorization();
    },
  });
  await rejectsWith(failing, 'Network', /IAM Identity Center in us-east-1 failed while signing in through the browser \(HTTP 500\)/);
  // Timeout: nobody comes back, and the wait (injected) is over at once.
  await rejectsWith(auth(h).loginWithPkce(SESSION, { timeoutMs: 300_000, openBrowser: () => undefined }), 'Timeout', /did not complete within 300 s/);
});

async function listWithFailures(t: { diagnostic(m: string): void }, n: number, with500: boolean, transient = false): Promise<void> {
  const big = await FakeIdentityCenter.start({ accounts: n, seed: 5 });
  try {
    const token = big.mintToken().accessToken;
    const failing = big.accounts.filter((_, i) => i % 97 === 3).map((a) => a.accountId);
    const half = with500 ? Math.ceil(failing.length / 2) : 0;
    big.failAccounts(failing.slice(0, half), 500);
    big.failAccounts(failing.slice(half), 403);
    if (transient) {
      big.injectFault({ op: 'accounts', status: 429, times: 2 });
      big.injectFault({ op: 'roles', status: 503, times: 10 });
      faults += 12;
    }
    faults += failing.length;
    const started = Date.now();
    const warnings: string[] = [];
    const listing = await new Portal({ region: 'us-east-1', env: big.env(), retryDeadlineMs: 2000, concurrency: 16 }).listAll(token, {
      onAccountError: (id, e) => warnings.push(`${id}: ${e.code}`),
    });
    const ms = Date.now() - started;
    t.diagnostic(`${n} accounts, ${failing.length} failing (${half} with 500, ${failing.length - half} with 403), ${big.stats.requests.roles} role calls, ${ms} ms`);
    assert.equal(listing.accounts.length, n);
    assert.deepEqual([...listing.failed.keys()].sort(), [...failing].sort(), 'exactly the failing accounts are reported');
    assert.equal(warnings.length, failing.length);
    for (const [id, e] of listing.failed) {
      assert.ok(isSsoError(e), String(e));
      const want = failing.indexOf(id) < half ? 'Network' : 'AccessDenied';
      assert.equal(e.code, want, `${id}: ${e.message}`);
      assert.match(e.message, want === 'Network' ? /kept failing while listing the roles of account \d{12}/ : /do not have access to account \d{12}/);
      assert.ok(!e.message.includes(token), 'no token in the message');
    }
    assert.equal(listing.roles.size, n - failing.length);
    for (const a of big.accounts) if (!failing.includes(a.accountId)) assert.deepEqual(listing.roles.get(a.accountId)!.map((r) => r.roleName), a.roles);
  } finally {
    await big.close();
  }
}

test('portal: 2000 accounts, some denied (403) for good', async (t) => {
  await listWithFailures(t, 2000, false);
});

test('portal: 300 accounts, some failing with 500 for good and some denied', async (t) => {
  await listWithFailures(t, 300, true);
});

test('portal: two 429s and ten 503s at the start, some accounts failing for good: the rest is listed', async (t) => {
  await listWithFailures(t, 300, true, true);
});

// Two 429s with nothing through used to pin the shared rate to its floor (1/s) with no way back but one
// success at a time: ~215 s for 300 accounts. Measured on virtual time, so the bound does not depend on the machine.
test('portal: two 429s and ten 503s at the start do not slow the rest of a 300-account listing to a crawl', async (t) => {
  const vt = new VirtualTime();
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  let throttles = 2;
  let failures = 10;
  const client = new SimPortalClient({
    accounts: makeOrg(300),
    clock: vt.clock,
    sleep: vt.sleep,
    latencyMs: 20,
    fault: (op) => {
      if (op === 'ListAccountsCommand' && throttles > 0 && throttles--) return serviceError(429, 'TooManyRequestsException');
      if (op === 'ListAccountRolesCommand' && failures > 0 && failures--) return serviceError(503, 'ServiceUnavailableException');
      return undefined;
    },
  });
  const portal = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep, random, concurrency: 16, retryDeadlineMs: 2000 });
  const t0 = vt.clock.now();
  const listing = await vt.run(portal.listAll('aoa-token'));
  const took = vt.clock.now() - t0;
  t.diagnostic(`300 accounts after 2 429s and 10 503s: ${took} ms of virtual time, ${client.stats.requests} requests`);
  assert.equal(listing.accounts.length, 300);
  assert.equal(listing.failed.size, 0);
  assert.ok(took < 15_000, `the listing took ${took} ms of virtual time`);
});

test('portal: a 429 storm past the deadline, truncated JSON, an expired token → Throttled, BadResponse, SessionEnded; then recovery', async () => {
  const token = fake.mintToken().accessToken;
  const portal = (deadline = 10_000) => new Portal({ region: 'us-east-1', env: fake.env(), retryDeadlineMs: deadline });
  inject('accounts', { status: 429, times: 10_000 });
  await rejectsWith(portal(1200).listAccounts(token), 'Throttled', /kept throttling requests while listing accounts for [\d.]+ s\. Try again in a minute/);
  fake.clearFaults();
  inject('accounts', { body: '{"accountList": [{"accountId": "1', status: 200 });
  await rejectsWith(portal().listAccounts(token), 'BadResponse', /unexpected response while listing accounts/);
  // One account's roles come back truncated: that account is reported, the others are listed.
  inject('roles', { body: '{"roleList":[{"roleN', status: 200 });
  const listing = await portal().listAll(token);
  assert.equal(listing.failed.size, 1);
  assert.equal([...listing.failed.values()][0].code, 'BadResponse');
  assert.equal(listing.roles.size, fake.accounts.length - 1);
  // Recovery.
  assert.equal((await portal().listAll(token)).failed.size, 0);
  const expired = fake.mintToken({ ttlSec: 1 }).accessToken;
  fake.expireAccessTokens();
  await rejectsWith(portal().listAccounts(expired), 'SessionEnded', /expired or was revoked\. Sign in again/);
  assert.equal((await portal().listAccounts(fake.mintToken().accessToken)).length, fake.accounts.length);
});

test('portal against a service that never answers: Network after the request timeout', {}, async () => {
  const token = fake.mintToken().accessToken;
  inject('accounts', { delayMs: NEVER_MS, times: 100 });
  const client = createPortalClient('us-east-1', { env: fake.env(), requestTimeoutMs: 200 });
  try {
    const p = new Portal({ region: 'us-east-1', env: fake.env(), retryDeadlineMs: 600, client });
    endedByRequestTimeout(await rejectsWith(p.listAccounts(token), 'Network', /kept failing while listing accounts for 0\.6 s \(last: ETIMEDOUT\)/));
  } finally {
    fake.clearFaults();
    client.destroy();
  }
});

test('a clock skewed by hours: a refresh when the client thinks the token is old, an honest error when the service says it is', async () => {
  const h = await home();
  const seeded = await seedToken(fake, h.paths, 8 * 3600_000);
  // Client clock 9 hours ahead: it refreshes early, the service accepts, the file is whole.
  const ahead = fakeTime(Date.now() + 9 * 3600_000);
  const tok = await auth(h, { clock: ahead.clock }).getAccessToken(SESSION);
  assert.notEqual(tok.accessToken, seeded.accessToken);
  assert.ok(fake.isAccessTokenValid(tok.accessToken));
  await assertTokenFile(h.paths, 'skewed ahead');
  // Client clock 9 hours behind and the service has expired the token: the portal call fails
  // with SessionEnded, not a crash or a loop.
  const behind = fakeTime(Date.now() - 9 * 3600_000);
  fake.expireAccessTokens();
  const t2 = await auth(h, { clock: behind.clock }).getAccessToken(SESSION);
  await rejectsWith(new Portal({ region: 'us-east-1', env: fake.env(), clock: behind.clock }).listAccounts(t2.accessToken), 'SessionEnded', /Sign in again/);
  // The CLI says so too, and the next sign-in recovers.
  const out: string[] = [];
  const io = { env: h.fullEnv, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s), clock: behind.clock };
  assert.equal(await main(['accounts', '--sso-session', 'corp'], io), 1);
  assert.match(out.join(''), /expired or was revoked\. Sign in again/);
});
