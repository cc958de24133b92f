// Integration tests of Portal with the real SDK client against the fake IAM Identity Center on 127.0.0.1.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSsoError } from '../../../src/core/errors';
import { Portal, PortalOptions } from '../../../src/core/portal/portal';
import { AdaptiveRateLimiter } from '../../../src/core/portal/rateLimiter';
import { FakeIdentityCenter, FakeOptions } from '../../fakes/identityCenter';

async function withFake(opts: FakeOptions, fn: (fake: FakeIdentityCenter, accessToken: string) => Promise<void>): Promise<void> {
  const fake = await FakeIdentityCenter.start(opts);
  try {
    await fn(fake, fake.mintToken().accessToken);
  } finally {
    await fake.close();
  }
}

function portalFor(fake: FakeIdentityCenter, extra: Partial<PortalOptions> = {}): Portal {
  return new Portal({ region: 'us-east-1', env: fake.env(), ...extra });
}

function assertLeaksNothing(fake: FakeIdentityCenter, token: string, e: unknown): void {
  const text = `${(e as Error).message}\n${(e as Error).stack}`;
  for (const s of [token, ...fake.issuedSecrets()]) assert.ok(!text.includes(s), 'an error carries a secret');
}

const roleCalls = (f: FakeIdentityCenter) => (f.stats.requests.accounts ?? 0) + (f.stats.requests.roles ?? 0);

describe('Portal against the fake Identity Center', () => {
  it('recovers from a burst of 5xx and connection resets', async () => {
    await withFake({ accounts: 120, seed: 2, latencyMs: 2 }, async (fake, token) => {
      fake.injectFault({ op: 'accounts', status: 500, times: 2 });
      fake.injectFault({ op: 'roles', status: 503, times: 25 });
      fake.injectFault({ op: 'roles', reset: true, times: 6 });
      fake.injectFault({ op: 'roles', status: 502, body: '<html>Bad gateway</html>', times: 3 });
      const portal = portalFor(fake);
      try {
        const r = await portal.listAll(token);
        assert.equal(r.failed.size, 0);
        assert.equal(r.roles.size, 120);
        for (const a of fake.accounts) assert.deepEqual(r.roles.get(a.accountId)?.map((x) => x.roleName), a.roles);
        assert.ok((fake.stats.requests.roles ?? 0) >= 120 + 34);
      } finally {
        portal.dispose();
      }
    });
  });

  it('reports accounts that keep failing and completes the others', async () => {
    await withFake({ accounts: 80, seed: 3 }, async (fake, token) => {
      const denied = [fake.accounts[5].accountId, fake.accounts[70].accountId];
      const broken = [fake.accounts[33].accountId];
      fake.failAccounts(denied, 403);
      fake.failAccounts(broken, 500);
      const portal = portalFor(fake, { retryDeadlineMs: 800 });
      try {
        const errors: string[] = [];
        const r = await portal.listAll(token, { onAccountError: (id, e) => errors.push(`${id}:${e.code}`) });
        assert.deepEqual([...r.failed.keys()].sort(), [...denied, ...broken].sort());
        assert.deepEqual(errors.sort(), [...denied.map((id) => `${id}:AccessDenied`), `${broken[0]}:Network`].sort());
        assert.equal(r.roles.size, 77);
        assert.equal(r.accounts.length, 80);
        for (const e of r.failed.values()) assertLeaksNothing(fake, token, e);
      } finally {
        portal.dispose();
      }
    });
  });

  it('stops the whole listing on a 401 and says to sign in again', async () => {
    await withFake({ accounts: 600, seed: 4, latencyMs: 3 }, async (fake, token) => {
      const portal = portalFor(fake);
      let atExpiry = 0;
      try {
        await assert.rejects(
          portal.listAll(token, {
            onRoles: () => {
              if (atExpiry === 0 && fake.stats.requests.roles! >= 50) {
                fake.expireAccessTokens();
                atExpiry = roleCalls(fake);
              }
            },
          }),
          (e: unknown) => {
            assert.ok(isSsoError(e, 'SessionEnded'), String(e));
            assert.match((e as Error).message, /sign in again/i);
            assertLeaksNothing(fake, token, e);
            return true;
          },
        );
        assert.ok(atExpiry > 0);
        // After the first 401 only what was already in flight may reach the server.
        const first401 = fake.requests.findIndex((r) => r.status === 401);
        const later = fake.requests.length - first401 - 1;
        assert.ok(later <= 8, `${later} requests after the first 401`);
      } finally {
        portal.dispose();
      }
    });
  });

  it('stops promptly on abort and sends nothing new', async () => {
    await withFake({ accounts: 1000, seed: 5, throttle: { rate: 200, burst: 20 }, latencyMs: 5 }, async (fake, token) => {
      const portal = portalFor(fake);
      const ac = new AbortController();
      let seenAtAbort = 0;
      try {
        const p = portal.listAll(token, {
          signal: ac.signal,
          onRoles: () => {
            if (!ac.signal.aborted && fake.stats.requests.roles! >= 100) {
              seenAtAbort = fake.requests.length;
              ac.abort();
            }
          },
        });
        await assert.rejects(p, (e) => isSsoError(e, 'Cancelled'));
        // Promptly, counted in requests rather than milliseconds: the listing settles having let
        // through at most the ones already on their way (the limiter's 8 in flight).
        const atReject = fake.requests.length;
        assert.ok(atReject - seenAtAbort <= 8, `${atReject - seenAtAbort} requests reached the server between the abort and the rejection`);
        // And nothing new afterwards: give stragglers a moment to show up (a slow machine can only hide one, never invent one).
        await new Promise((r) => setTimeout(r, 100));
        assert.ok(fake.requests.length - seenAtAbort <= 8, `${fake.requests.length - seenAtAbort} requests reached the server after the abort`);
        assert.ok(fake.requests.length < 1001);
      } finally {
        portal.dispose();
      }
    });
  });

  it('takes each permit as its request leaves the SDK, after the SDK has built it', async () => {
    await withFake({ accounts: 30, seed: 6 }, async (fake, token) => {
      const limiter = new AdaptiveRateLimiter();
      const portal = portalFor(fake, { limiter });
      type Stack = { add(mw: unknown, o: Record<string, unknown>): void };
      const client = (portal as unknown as { portalClient(): { middlewareStack: Stack } }).portalClient();
      const built: number[] = [];
      const sent: number[] = [];
      client.middlewareStack.add(
        (next: (a: unknown) => Promise<unknown>) => async (a: unknown) => {
          built.push(performance.timeOrigin + performance.now());
          return next(a);
        },
        { step: 'build', name: 'testBuilt' },
      );
      const acquire = limiter.acquire.bind(limiter);
      limiter.acquire = async (o) => {
        const permit = await acquire(o);
        sent.push(permit.sentAt);
        return permit;
      };
      try {
        const r = await portal.listAll(token);
        assert.equal(r.roles.size, 30);
        assert.equal(sent.length, roleCalls(fake));
        assert.equal(built.length, sent.length);
        // Each permit follows its own request's build: sorted, the k-th permit comes after the k-th build.
        built.sort((x, y) => x - y);
        sent.sort((x, y) => x - y);
        sent.forEach((t, k) => assert.ok(t >= built[k], `permit ${k} was taken ${(built[k] - t).toFixed(3)} ms before its request was built`));
      } finally {
        portal.dispose();
      }
    });
  });

  it('streams roles of the first page before the last page of accounts', async () => {
    await withFake({ accounts: 450, seed: 6, latencyMs: 10 }, async (fake, token) => {
      const portal = portalFor(fake);
      try {
        const events: string[] = [];
        await portal.listAll(token, {
          onAccounts: (p) => events.push(`accounts:${p.length}`),
          onRoles: (id) => events.push(`roles:${id}`),
        });
        const lastPage = events.lastIndexOf('accounts:50');
        const firstRoles = events.findIndex((e) => e.startsWith('roles:'));
        assert.ok(firstRoles >= 0 && firstRoles < lastPage, `first roles at ${firstRoles}, last page at ${lastPage}`);
      } finally {
        portal.dispose();
      }
    });
  });

  it('gets role credentials, and maps a denied role and a malformed answer', async () => {
    await withFake({ accounts: 3, seed: 8 }, async (fake, token) => {
      const portal = portalFor(fake);
      try {
        const acct = fake.accounts[1];
        const before = Date.now();
        const c = await portal.getRoleCredentials(token, acct.accountId, acct.roles[0]);
        assert.match(c.accessKeyId, /^ASIA[A-Z2-7]{16}$/);
        assert.ok(c.secretAccessKey.length > 20 && c.sessionToken.length > 100);
        assert.ok(c.expiration > before + 3500_000 && c.expiration < Date.now() + 3600_001);
        assert.equal(fake.stats.requests.credentials, 1);

        await assert.rejects(portal.getRoleCredentials(token, acct.accountId, 'NoSuchRole'), (e: unknown) => {
          assert.ok(isSsoError(e, 'AccessDenied'));
          assert.match((e as Error).message, /NoSuchRole/);
          assertLeaksNothing(fake, token, e);
          return true;
        });

        fake.injectFault({ op: 'credentials', body: '{"roleCredentials": {"accessKeyId": "ASIA' });
        await assert.rejects(portal.getRoleCredentials(token, acct.accountId, acct.roles[0]), (e) => isSsoError(e, 'BadResponse'));

        fake.injectFault({ op: 'credentials', status: 429, times: 3 });
        const again = await portal.getRoleCredentials(token, acct.accountId, acct.roles[0]);
        assert.notEqual(again.accessKeyId, c.accessKeyId);
      } finally {
        portal.dispose();
      }
    });
  });
});
