// Drives the fake IAM Identity Center with the real SDK clients to prove it speaks the wire protocol faithfully.
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import {
  CreateTokenCommand,
  CreateTokenCommandOutput,
  RegisterClientCommand,
  RegisterClientCommandOutput,
  SSOOIDCClient,
  StartDeviceAuthorizationCommand,
} from '@aws-sdk/client-sso-oidc';
import {
  GetRoleCredentialsCommand,
  ListAccountRolesCommand,
  ListAccountsCommand,
  LogoutCommand,
  SSOClient,
} from '@aws-sdk/client-sso';
import { createOidcClient, createPortalClient } from '../../../src/core/endpoints';
import { DEVICE_GRANT, FakeIdentityCenter, FakeOptions, fakeBrowser } from '../../fakes/identityCenter';

const START_URL = 'https://d-1234567890.awsapps.com/start';
const SCOPES = ['sso:account:access'];

interface Ctx {
  fake: FakeIdentityCenter;
  oidc: SSOOIDCClient;
  portal: SSOClient;
}

async function withFake(opts: FakeOptions, fn: (c: Ctx) => Promise<void>): Promise<void> {
  const fake = await FakeIdentityCenter.start(opts);
  const oidc = createOidcClient('us-east-1', { env: fake.env() });
  const portal = createPortalClient('us-east-1', { env: fake.env() });
  try {
    await fn({ fake, oidc, portal });
  } finally {
    oidc.destroy();
    portal.destroy();
    await fake.close();
  }
}

/** Resolves to the rejection of `p`; fails the test when `p` resolves. */
async function failure(p: Promise<unknown>): Promise<{ name: string; status?: number; error?: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const x = e as { name: string; message: string; error?: string; $metadata?: { httpStatusCode?: number } };
    return { name: x.name, status: x.$metadata?.httpStatusCode, error: x.error, message: x.message };
  }
  assert.fail('expected the call to fail');
}

function register(c: Ctx, extra: { scopes?: string[]; grantTypes?: string[]; redirectUris?: string[] } = { scopes: SCOPES }) {
  return c.oidc.send(new RegisterClientCommand({ clientName: 'aws-sso-profiles', clientType: 'public', ...extra }));
}

async function startDevice(c: Ctx, reg: RegisterClientCommandOutput) {
  return c.oidc.send(new StartDeviceAuthorizationCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: START_URL }));
}

function pollDevice(c: Ctx, reg: RegisterClientCommandOutput, deviceCode: string | undefined) {
  return c.oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: DEVICE_GRANT, deviceCode }));
}

function refresh(c: Ctx, reg: { clientId?: string; clientSecret?: string }, refreshToken: string | undefined) {
  return c.oidc.send(new CreateTokenCommand({ clientId: reg.clientId, clientSecret: reg.clientSecret, grantType: 'refresh_token', refreshToken }));
}

/** Signs in through the device flow and returns the token response. */
async function deviceSignIn(c: Ctx, reg: RegisterClientCommandOutput): Promise<CreateTokenCommandOutput> {
  const d = await startDevice(c, reg);
  assert.ok(c.fake.approve(d.userCode!));
  return pollDevice(c, reg, d.deviceCode);
}

/** A GET that never follows redirects, like the first hop of a browser. */
function rawGet(url: string): Promise<{ status: number; location?: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
      })
      .on('error', reject);
  });
}

function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(48).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

function authorizeUrl(fake: FakeIdentityCenter, q: Record<string, string>): string {
  const u = new URL('/authorize', fake.url);
  for (const [k, v] of Object.entries({ response_type: 'code', code_challenge_method: 'S256', scopes: SCOPES.join(' '), ...q })) {
    u.searchParams.set(k, v);
  }
  return u.toString();
}

test('RegisterClient returns a client with a 90-day secret and validates its input', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    assert.match(reg.clientId!, /^[A-Za-z0-9_-]{16,}$/);
    assert.ok(reg.clientSecret && reg.clientSecret.length > 40);
    assert.equal(reg.clientSecretExpiresAt! - reg.clientIdIssuedAt!, 90 * 86400);
    assert.ok(Math.abs(reg.clientIdIssuedAt! - Date.now() / 1000) < 5);

    const noRedirect = await failure(register(c, { grantTypes: ['authorization_code', 'refresh_token'] }));
    assert.equal(noRedirect.name, 'InvalidRequestException');
    assert.equal(noRedirect.status, 400);
    assert.equal(noRedirect.error, 'invalid_request');

    const badType = await failure(c.oidc.send(new RegisterClientCommand({ clientName: 'x', clientType: 'confidential' })));
    assert.equal(badType.name, 'InvalidClientMetadataException');
    const badRedirect = await failure(register(c, { grantTypes: ['authorization_code'], redirectUris: ['https://evil.example/cb'] }));
    assert.equal(badRedirect.name, 'InvalidRedirectUriException');
  }));

test('device flow: pending until approved, then a token once; the code cannot be reused', () =>
  withFake({ deviceInterval: 2, deviceExpiresIn: 300 }, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    assert.match(d.userCode!, /^[A-Z]{4}-[A-Z]{4}$/);
    assert.equal(d.interval, 2);
    assert.equal(d.expiresIn, 300);
    assert.equal(d.verificationUri, `${c.fake.url}/device`);
    assert.equal(d.verificationUriComplete, `${c.fake.url}/device?user_code=${d.userCode}`);
    assert.deepEqual(c.fake.pendingUserCodes(), [d.userCode]);

    const pending = await failure(pollDevice(c, reg, d.deviceCode));
    assert.equal(pending.name, 'AuthorizationPendingException');
    assert.equal(pending.status, 400);
    assert.equal(pending.error, 'authorization_pending');

    assert.equal(c.fake.approve('NOPE-NOPE'), false);
    assert.equal(c.fake.approve(d.userCode!), true);
    assert.deepEqual(c.fake.pendingUserCodes(), []);
    const t = await pollDevice(c, reg, d.deviceCode);
    assert.equal(t.tokenType, 'Bearer');
    assert.equal(t.expiresIn, 28800);
    assert.ok(t.accessToken && t.refreshToken && t.accessToken !== t.refreshToken);
    assert.ok(c.fake.isAccessTokenValid(t.accessToken!));

    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'InvalidGrantException');
    assert.equal((await failure(pollDevice(c, reg, 'not-a-device-code'))).name, 'InvalidGrantException');
  }));

test('a refresh token is issued only to clients registered with scopes', () =>
  withFake({ accessTokenTtl: 60 }, async (c) => {
    const t = await deviceSignIn(c, await register(c, {}));
    assert.ok(t.accessToken);
    assert.equal(t.refreshToken, undefined);
    assert.equal(t.expiresIn, 60);
  }));

test('opening verificationUriComplete approves the request, as a browser would', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    const list = await rawGet(`${c.fake.url}/device`);
    assert.ok(list.body.includes(d.userCode!));
    const page = await rawGet(d.verificationUriComplete!);
    assert.equal(page.status, 200);
    assert.match(page.body, /approved/);
    assert.ok((await pollDevice(c, reg, d.deviceCode)).accessToken);
    assert.equal((await rawGet(`${c.fake.url}/device?user_code=ZZZZ-ZZZZ`)).status, 404);
  }));

test('slowDown(n) answers SlowDownException to the next n polls only', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    c.fake.slowDown(2);
    for (let i = 0; i < 2; i++) {
      const e = await failure(pollDevice(c, reg, d.deviceCode));
      assert.equal(e.name, 'SlowDownException');
      assert.equal(e.error, 'slow_down');
    }
    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'AuthorizationPendingException');
  }));

test('enforceInterval answers SlowDownException to polls closer than the interval', async () => {
  let now = Date.UTC(2026, 0, 1);
  await withFake({ enforceInterval: true, deviceInterval: 5, now: () => now }, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'AuthorizationPendingException');
    now += 1000;
    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'SlowDownException');
    // RFC 8628 §3.5: after slow_down the interval grows by 5 s for the rest of the flow.
    now += 5000;
    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'SlowDownException');
    now += 15_000;
    assert.equal((await failure(pollDevice(c, reg, d.deviceCode))).name, 'AuthorizationPendingException');
  });
});

test('a denied device request answers AccessDeniedException', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    assert.equal(c.fake.deny(d.userCode!), true);
    const e = await failure(pollDevice(c, reg, d.deviceCode));
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.error, 'access_denied');
    assert.equal(c.fake.approve(d.userCode!), false, 'a denied code cannot be approved later');
  }));

test('device codes expire with the injected clock, and on expireDeviceCodes()', async () => {
  let now = Date.UTC(2026, 0, 1);
  await withFake({ deviceExpiresIn: 600, now: () => now }, async (c) => {
    const reg = await register(c);
    const d1 = await startDevice(c, reg);
    now += 599_000;
    assert.equal((await failure(pollDevice(c, reg, d1.deviceCode))).name, 'AuthorizationPendingException');
    now += 1_000;
    const e = await failure(pollDevice(c, reg, d1.deviceCode));
    assert.equal(e.name, 'ExpiredTokenException');
    assert.equal(e.error, 'expired_token');
    assert.equal(c.fake.approve(d1.userCode!), false);

    const d2 = await startDevice(c, reg);
    c.fake.expireDeviceCodes();
    assert.equal((await failure(pollDevice(c, reg, d2.deviceCode))).name, 'ExpiredTokenException');
  });
});

test('autoApprove approves device codes immediately', () =>
  withFake({ autoApprove: true }, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    assert.deepEqual(c.fake.pendingUserCodes(), []);
    assert.ok((await pollDevice(c, reg, d.deviceCode)).accessToken);
  }));

test('PKCE: /authorize is held until approved, then the code is exchanged once with the verifier', () =>
  withFake({}, async (c) => {
    const reg = await register(c, {
      scopes: SCOPES,
      grantTypes: ['authorization_code', 'refresh_token'],
      redirectUris: ['http://127.0.0.1/oauth/callback'],
    });
    // The listener's port differs from the registered URI's, as in real use.
    const redirectUri = 'http://127.0.0.1:49152/oauth/callback';
    const exchange = (code: string | undefined, verifier: string, uri = redirectUri) =>
      c.oidc.send(
        new CreateTokenCommand({
          clientId: reg.clientId,
          clientSecret: reg.clientSecret,
          grantType: 'authorization_code',
          code,
          codeVerifier: verifier,
          redirectUri: uri,
        }),
      );
    const authorize = async (challenge: string, state: string) => {
      const res = rawGet(authorizeUrl(c.fake, { client_id: reg.clientId!, redirect_uri: redirectUri, state, code_challenge: challenge }));
      while (c.fake.pendingAuthorizations() === 0) await new Promise((r) => setTimeout(r, 5));
      assert.equal(c.fake.approveAuthorization(), 1);
      const r = await res;
      assert.equal(r.status, 302);
      const loc = new URL(r.location!);
      assert.equal(`${loc.origin}${loc.pathname}`, redirectUri);
      assert.equal(loc.searchParams.get('state'), state);
      return loc.searchParams.get('code')!;
    };

    const p1 = pkce();
    const code1 = await authorize(p1.challenge, 'state-1');
    const wrongVerifier = await failure(exchange(code1, pkce().verifier));
    assert.equal(wrongVerifier.name, 'InvalidGrantException');
    assert.equal(wrongVerifier.error, 'invalid_grant');
    // A code is single use, even after a failed exchange.
    assert.equal((await failure(exchange(code1, p1.verifier))).name, 'InvalidGrantException');

    const p2 = pkce();
    const code2 = await authorize(p2.challenge, 'state-2');
    assert.equal((await failure(exchange(code2, p2.verifier, 'http://127.0.0.1:49153/oauth/callback'))).name, 'InvalidGrantException');

    const p3 = pkce();
    const code3 = await authorize(p3.challenge, 'state-3');
    const t = await exchange(code3, p3.verifier);
    assert.ok(t.accessToken && t.refreshToken);
    assert.ok(c.fake.isAccessTokenValid(t.accessToken!));
  }));

test('PKCE: denial redirects with access_denied; invalid requests get a 400 page and no redirect', () =>
  withFake({}, async (c) => {
    const reg = await register(c, { scopes: SCOPES, grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/oauth/callback'] });
    const { challenge } = pkce();
    const good = { client_id: reg.clientId!, redirect_uri: 'http://127.0.0.1:50000/oauth/callback', state: 's', code_challenge: challenge };

    const held = rawGet(authorizeUrl(c.fake, good));
    while (c.fake.pendingAuthorizations() === 0) await new Promise((r) => setTimeout(r, 5));
    assert.equal(c.fake.denyAuthorization(), 1);
    const denied = new URL((await held).location!);
    assert.equal(denied.searchParams.get('error'), 'access_denied');
    assert.equal(denied.searchParams.get('state'), 's');
    assert.equal(denied.searchParams.get('code'), null);

    const invalid: Record<string, string>[] = [
      { ...good, client_id: 'unknown' },
      { ...good, redirect_uri: 'http://localhost:50000/oauth/callback' },
      { ...good, redirect_uri: 'http://127.0.0.1:50000/other' },
      { ...good, code_challenge_method: 'plain' },
      { ...good, code_challenge: 'short' },
      { ...good, response_type: 'token' },
    ];
    for (const q of invalid) {
      const r = await rawGet(authorizeUrl(c.fake, q));
      assert.equal(r.status, 400, JSON.stringify(q));
      assert.equal(r.location, undefined);
    }
    assert.equal(c.fake.pendingAuthorizations(), 0);
  }));

test('PKCE with autoApprove redirects at once', () =>
  withFake({ autoApprove: true }, async (c) => {
    const reg = await register(c, { scopes: SCOPES, grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/cb'] });
    const { challenge } = pkce();
    const r = await rawGet(authorizeUrl(c.fake, { client_id: reg.clientId!, redirect_uri: 'http://127.0.0.1:1234/cb', state: 'x', code_challenge: challenge }));
    assert.equal(r.status, 302);
    assert.ok(new URL(r.location!).searchParams.get('code'));
  }));

test('refresh rotates the refresh token; the old one, revoked ones and foreign clients are refused', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    const t1 = await deviceSignIn(c, reg);
    const t2 = await refresh(c, reg, t1.refreshToken);
    assert.ok(t2.accessToken && t2.refreshToken);
    assert.notEqual(t2.accessToken, t1.accessToken);
    assert.notEqual(t2.refreshToken, t1.refreshToken);
    const reused = await failure(refresh(c, reg, t1.refreshToken));
    assert.equal(reused.name, 'InvalidGrantException');
    assert.equal(reused.status, 400);

    const other = await register(c);
    assert.equal((await failure(refresh(c, other, t2.refreshToken))).name, 'InvalidGrantException');

    c.fake.revokeRefreshTokens();
    assert.equal((await failure(refresh(c, reg, t2.refreshToken))).name, 'InvalidGrantException');
  }));

test('unknown, wrong-secret and expired registrations answer InvalidClientException (401)', async () => {
  let now = Date.UTC(2026, 0, 1);
  await withFake({ registrationTtl: 3600, now: () => now }, async (c) => {
    const reg = await register(c);
    const t = await deviceSignIn(c, reg);
    const wrong = await failure(refresh(c, { clientId: reg.clientId, clientSecret: 'nope' }, t.refreshToken));
    assert.equal(wrong.name, 'InvalidClientException');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.error, 'invalid_client');
    assert.equal((await failure(refresh(c, { clientId: 'nope', clientSecret: reg.clientSecret }, t.refreshToken))).name, 'InvalidClientException');

    now += 3600_000; // registrationTtl has passed
    assert.equal((await failure(refresh(c, reg, t.refreshToken))).name, 'InvalidClientException');
    assert.equal((await failure(startDevice(c, reg))).name, 'InvalidClientException');

    const fresh = await register(c);
    assert.ok((await deviceSignIn(c, fresh)).accessToken);
    c.fake.expireRegistrations();
    assert.equal((await failure(startDevice(c, fresh))).name, 'InvalidClientException');
  });
});

test('ListAccounts pages 250 accounts at max_result 100 and ListAccountRoles lists each role', () =>
  withFake({ accounts: 250, seed: 7 }, async (c) => {
    const { accessToken } = c.fake.mintToken();
    const pages: number[] = [];
    const seen: string[] = [];
    let nextToken: string | undefined;
    do {
      const r = await c.portal.send(new ListAccountsCommand({ accessToken, maxResults: 100, nextToken }));
      pages.push(r.accountList!.length);
      for (const a of r.accountList!) {
        assert.match(a.accountId!, /^\d{12}$/);
        assert.ok(a.accountName && a.emailAddress);
        seen.push(a.accountId!);
      }
      nextToken = r.nextToken;
    } while (nextToken);
    assert.deepEqual(pages, [100, 100, 50]);
    assert.deepEqual(seen, c.fake.accounts.map((a) => a.accountId));
    assert.equal(new Set(seen).size, 250);

    const acct = c.fake.accounts.find((a) => a.roles.length >= 2)!;
    const r1 = await c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: acct.accountId, maxResults: 1 }));
    assert.equal(r1.roleList!.length, 1);
    assert.ok(r1.nextToken);
    const r2 = await c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: acct.accountId, nextToken: r1.nextToken }));
    assert.deepEqual([...r1.roleList!, ...r2.roleList!], acct.roles.map((roleName) => ({ roleName, accountId: acct.accountId })));

    // A page token from one listing is not accepted by another.
    const bad = await failure(c.portal.send(new ListAccountsCommand({ accessToken, nextToken: r1.nextToken })));
    assert.equal(bad.name, 'InvalidRequestException');
    assert.equal(bad.status, 400);
  }));

test('GetRoleCredentials returns fresh credentials; unknown roles are forbidden; bad tokens unauthorized', async () => {
  let now = Date.UTC(2026, 0, 1);
  await withFake({ accounts: 3, now: () => now }, async (c) => {
    const { accessToken, expiresAt } = c.fake.mintToken({ ttlSec: 600 });
    assert.equal(expiresAt, now + 600_000);
    const acct = c.fake.accounts[1];
    const r = await c.portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: acct.accountId, roleName: acct.roles[0] }));
    const creds = r.roleCredentials!;
    assert.match(creds.accessKeyId!, /^ASIA[A-Z2-7]{16}$/);
    assert.ok(creds.secretAccessKey && creds.sessionToken);
    assert.equal(creds.expiration, now + 3600_000);

    const forbidden = await failure(
      c.portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: acct.accountId, roleName: 'NotAssigned' })),
    );
    assert.equal(forbidden.name, 'ForbiddenException');
    assert.equal(forbidden.status, 403);

    const unknown = await failure(c.portal.send(new ListAccountsCommand({ accessToken: 'aoa-unknown' })));
    assert.equal(unknown.name, 'UnauthorizedException');
    assert.equal(unknown.status, 401);

    now += 600_000;
    assert.equal((await failure(c.portal.send(new ListAccountsCommand({ accessToken })))).name, 'UnauthorizedException');
    const second = c.fake.mintToken();
    assert.ok((await c.portal.send(new ListAccountsCommand({ accessToken: second.accessToken }))).accountList);
    c.fake.expireAccessTokens();
    assert.equal((await failure(c.portal.send(new ListAccountsCommand({ accessToken: second.accessToken })))).name, 'UnauthorizedException');
  });
});

test('the token bucket throttles portal calls with TooManyRequestsException (429)', () =>
  withFake({ accounts: 2, throttle: { rate: 1, burst: 3 } }, async (c) => {
    const { accessToken } = c.fake.mintToken();
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => c.portal.send(new ListAccountsCommand({ accessToken }))),
    );
    const ok = results.filter((r) => r.status === 'fulfilled').length;
    const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason);
    assert.ok(ok >= 3 && ok <= 4, `ok=${ok}`); // the burst, plus at most one refill during the run
    assert.ok(rejected.length >= 4);
    for (const e of rejected) {
      assert.equal(e.name, 'TooManyRequestsException');
      assert.equal(e.$metadata.httpStatusCode, 429);
    }
    assert.equal(c.fake.stats.throttled, rejected.length);
    assert.equal(c.fake.requests.filter((r) => r.status === 429).length, rejected.length);
    // OIDC calls are not counted against the portal's bucket.
    assert.ok((await register(c)).clientId);
  }));

test('Logout revokes the access token and its refresh token', () =>
  withFake({}, async (c) => {
    const reg = await register(c);
    const t = await deviceSignIn(c, reg);
    const other = await deviceSignIn(c, reg);
    await c.portal.send(new LogoutCommand({ accessToken: t.accessToken }));
    assert.equal(c.fake.isAccessTokenValid(t.accessToken!), false);
    assert.equal((await failure(c.portal.send(new ListAccountsCommand({ accessToken: t.accessToken })))).name, 'UnauthorizedException');
    assert.equal((await failure(refresh(c, reg, t.refreshToken))).name, 'InvalidGrantException');
    // Other sessions are untouched.
    assert.ok((await c.portal.send(new ListAccountsCommand({ accessToken: other.accessToken }))).accountList);
    assert.ok((await refresh(c, reg, other.refreshToken)).accessToken);
  }));

test('injected faults: status, error type, malformed body, delay, connection reset, each for `times` requests', () =>
  withFake({ accounts: 2 }, async (c) => {
    const { accessToken } = c.fake.mintToken();
    const list = () => c.portal.send(new ListAccountsCommand({ accessToken }));

    c.fake.injectFault({ op: 'accounts', status: 429, times: 2 });
    for (let i = 0; i < 2; i++) assert.equal((await failure(list())).name, 'TooManyRequestsException');
    assert.equal((await list()).accountList!.length, 2);

    c.fake.injectFault({ op: 'token', status: 500, errorType: 'InternalServerException' });
    const reg = await register(c);
    const ise = await failure(refresh(c, reg, 'whatever'));
    assert.equal(ise.name, 'InternalServerException');
    assert.equal(ise.status, 500);

    c.fake.injectFault({ op: 'accounts', body: '{"accountList":[{"accountId":"1' });
    const truncated = await failure(list());
    assert.equal(truncated.status, 200, 'the SDK fails to parse a 200 with a truncated body');
    assert.doesNotMatch(truncated.name, /^(TooManyRequests|Unauthorized)/);

    c.fake.injectFault({ op: 'register', reset: true });
    const reset = await failure(register(c));
    assert.equal(reset.status, undefined, 'no HTTP response was received');
    assert.ok(reset.message.length > 0);
    assert.ok((await register(c)).clientId, 'the fault was consumed');

    c.fake.injectFault({ op: 'credentials', delayMs: 150 });
    const t0 = Date.now();
    const acct = c.fake.accounts[0];
    await c.portal.send(new GetRoleCredentialsCommand({ accessToken, accountId: acct.accountId, roleName: acct.roles[0] }));
    assert.ok(Date.now() - t0 >= 140);

    const statuses = c.fake.requests.filter((r) => r.op === 'accounts').map((r) => r.status);
    assert.deepEqual(statuses, [429, 429, 200, 200]);
    assert.equal(c.fake.requests.find((r) => r.op === 'register' && r.status === 0)?.op, 'register');
  }));

test('failAccounts makes ListAccountRoles fail for just those accounts', () =>
  withFake({ accounts: 4 }, async (c) => {
    const { accessToken } = c.fake.mintToken();
    const [a, b] = c.fake.accounts;
    c.fake.failAccounts([a.accountId], 429);
    const e = await failure(c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: a.accountId })));
    assert.equal(e.name, 'TooManyRequestsException');
    assert.ok((await c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: b.accountId }))).roleList!.length > 0);
    c.fake.clearAccountFailures();
    assert.ok((await c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: a.accountId }))).roleList!.length > 0);
    const unknown = await failure(c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: '000000000000' })));
    assert.equal(unknown.name, 'ForbiddenException');
  }));

test('stats count requests per op and the peak of concurrent requests', () =>
  withFake({ accounts: 3, latencyMs: 50 }, async (c) => {
    const { accessToken } = c.fake.mintToken();
    await Promise.all(c.fake.accounts.map((a) => c.portal.send(new ListAccountRolesCommand({ accessToken, accountId: a.accountId }))));
    assert.equal(c.fake.stats.requests.roles, 3);
    assert.equal(c.fake.stats.maxConcurrent, 3);
    assert.equal(c.fake.stats.inFlight, 0);
    c.fake.resetStats();
    await c.portal.send(new ListAccountsCommand({ accessToken }));
    assert.deepEqual(c.fake.stats.requests, { accounts: 1 });
    assert.equal(c.fake.stats.maxConcurrent, 1);
  }));

test('issuedSecrets lists every secret handed out', () =>
  withFake({ accounts: 1 }, async (c) => {
    const reg = await register(c);
    const d = await startDevice(c, reg);
    c.fake.approve(d.userCode!);
    const t = await pollDevice(c, reg, d.deviceCode);
    const minted = c.fake.mintToken({ withRefresh: true });
    const acct = c.fake.accounts[0];
    const creds = (
      await c.portal.send(new GetRoleCredentialsCommand({ accessToken: t.accessToken, accountId: acct.accountId, roleName: acct.roles[0] }))
    ).roleCredentials!;
    const secrets = new Set(c.fake.issuedSecrets());
    for (const s of [reg.clientSecret, d.deviceCode, t.accessToken, t.refreshToken, minted.accessToken, minted.refreshToken, minted.clientSecret, creds.secretAccessKey, creds.sessionToken]) {
      assert.ok(s && secrets.has(s), 'a secret is missing from issuedSecrets()');
    }
    assert.equal(secrets.has(d.userCode!), false, 'the user code is shown to the user; it is not a secret');
  }));

test('close() ends held /authorize requests and returns promptly', async () => {
  const fake = await FakeIdentityCenter.start({});
  const oidc = createOidcClient('us-east-1', { env: fake.env() });
  try {
    const reg = await oidc.send(
      new RegisterClientCommand({ clientName: 'x', clientType: 'public', scopes: SCOPES, grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/cb'] }),
    );
    const held = rawGet(authorizeUrl(fake, { client_id: reg.clientId!, redirect_uri: 'http://127.0.0.1:9/cb', state: 's', code_challenge: pkce().challenge }));
    while (fake.pendingAuthorizations() === 0) await new Promise((r) => setTimeout(r, 5));
    const t0 = Date.now();
    await fake.close();
    assert.ok(Date.now() - t0 < 1000);
    await assert.rejects(held);
  } finally {
    oidc.destroy();
    await fake.close();
  }
});

test('fakeBrowser follows an auto-approved /authorize to the loopback callback', () =>
  withFake({ autoApprove: true }, async (c) => {
    const hits: string[] = [];
    const callback = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('signed in');
    });
    await new Promise<void>((r) => callback.listen(0, '127.0.0.1', r));
    try {
      const port = (callback.address() as { port: number }).port;
      const reg = await register(c, { scopes: SCOPES, grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1/oauth/callback'] });
      const visit = await fakeBrowser(
        authorizeUrl(c.fake, { client_id: reg.clientId!, redirect_uri: `http://127.0.0.1:${port}/oauth/callback`, state: 'st', code_challenge: pkce().challenge }),
      );
      assert.equal(visit.status, 200);
      assert.equal(visit.body, 'signed in');
      assert.equal(hits.length, 1);
      const q = new URL(hits[0], 'http://x').searchParams;
      assert.equal(q.get('state'), 'st');
      assert.ok(c.fake.issuedSecrets().includes(q.get('code')!));

      const d = await startDevice(c, await register(c));
      assert.equal((await fakeBrowser(d.verificationUriComplete!)).status, 200);
    } finally {
      callback.closeAllConnections();
      await new Promise((r) => callback.close(r));
    }
  }));
