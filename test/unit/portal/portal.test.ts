// Tests of Portal against a hand-written client double on virtual time: paging, fan-out, retries, deadlines, errors, abort.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SsoError, isSsoError } from '../../../src/core/errors';
import { Portal, PortalClientLike } from '../../../src/core/portal/portal';
import { AdaptiveRateLimiter } from '../../../src/core/portal/rateLimiter';
import { SimAccount, SimOp, SimPortalClient, makeOrg, resetError, serviceError } from '../../helpers/portal-simClient';
import { VirtualTime } from '../../helpers/portal-virtualTime';

const TOKEN = 'aoaTOKEN-SECRET-0123456789abcdef';

function setup(o: {
  accounts?: SimAccount[];
  throttle?: { rate: number; burst: number };
  latencyMs?: number;
  fault?: (op: SimOp, input: Record<string, unknown>) => unknown;
  rolePageSize?: number;
  retryDeadlineMs?: number;
  concurrency?: number;
}) {
  const vt = new VirtualTime();
  let seed = 42;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  const client = new SimPortalClient({
    accounts: o.accounts ?? makeOrg(5),
    clock: vt.clock,
    sleep: vt.sleep,
    throttle: o.throttle,
    latencyMs: o.latencyMs ?? 5,
    validTokens: new Set([TOKEN]),
    rolePageSize: o.rolePageSize,
    fault: o.fault,
  });
  const portal = new Portal({
    region: 'us-east-1',
    client,
    clock: vt.clock,
    sleep: vt.sleep,
    random,
    concurrency: o.concurrency,
    retryDeadlineMs: o.retryDeadlineMs,
  });
  return { vt, client, portal };
}

function assertNoToken(e: unknown) {
  const err = e as Error;
  assert.ok(!err.message.includes(TOKEN), 'the message carries the token');
  assert.ok(!String(err.stack).includes(TOKEN), 'the stack carries the token');
}

describe('Portal.listAccounts / listRoles', () => {
  it('follows every page of accounts in service order, 100 at a time', async () => {
    const accounts = makeOrg(250);
    const { vt, client, portal } = setup({ accounts });
    const pages: number[] = [];
    const got = await vt.run(portal.listAccounts(TOKEN, { onPage: (p) => pages.push(p.length) }));
    assert.deepEqual(
      got.map((a) => a.accountId),
      accounts.map((a) => a.accountId),
    );
    assert.deepEqual(got[3], { accountId: accounts[3].accountId, accountName: 'acct-3', emailAddress: 'a3@example.com' });
    assert.deepEqual(pages, [100, 100, 50]);
    const calls = client.log.filter((e) => e.op === 'ListAccountsCommand');
    assert.deepEqual(
      calls.map((c) => [c.input.maxResults, c.input.nextToken]),
      [
        [100, undefined],
        [100, '100'],
        [100, '200'],
      ],
    );
    assert.ok(calls.every((c) => c.input.accessToken === TOKEN));
  });

  it('follows every page of roles', async () => {
    const accounts = makeOrg(1, () => 5);
    const { vt, client, portal } = setup({ accounts, rolePageSize: 2 });
    const roles = await vt.run(portal.listRoles(TOKEN, accounts[0].accountId));
    assert.deepEqual(
      roles.map((r) => r.roleName),
      accounts[0].roles,
    );
    assert.ok(roles.every((r) => r.accountId === accounts[0].accountId));
    assert.equal(client.stats.byOp.ListAccountRolesCommand, 3);
  });

  it('rejects a page token that repeats instead of looping forever', async () => {
    const vt = new VirtualTime();
    const client: PortalClientLike = {
      send: async () => ({ accountList: [{ accountId: '111111111111', accountName: 'a' }], nextToken: 'same' }),
    };
    const portal = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep });
    await assert.rejects(vt.run(portal.listAccounts(TOKEN)), (e) => isSsoError(e, 'BadResponse'));
  });

  it('reports malformed responses as BadResponse without retrying', async () => {
    for (const body of [{ accountList: 5 }, { accountList: [{ accountName: 'no id' }] }, 'not an object', { accountList: [], nextToken: 7 }]) {
      const vt = new VirtualTime();
      let calls = 0;
      const client: PortalClientLike = {
        send: async () => {
          calls++;
          return body;
        },
      };
      const portal = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep });
      await assert.rejects(vt.run(portal.listAccounts(TOKEN)), (e) => isSsoError(e, 'BadResponse'), JSON.stringify(body));
      assert.equal(calls, 1);
    }
  });

  it('treats a body the SDK could not parse as BadResponse, but a 5xx one as retryable', async () => {
    const unreadable = (status: number) => {
      const e = new Error('Unexpected end of JSON input') as Error & { $metadata: object };
      e.name = 'SyntaxError';
      e.$metadata = { httpStatusCode: status };
      return e;
    };
    let n = 0;
    const { vt, portal } = setup({ fault: (op) => (op === 'ListAccountsCommand' && n++ === 0 ? unreadable(502) : undefined) });
    assert.equal((await vt.run(portal.listAccounts(TOKEN))).length, 5);
    const bad = setup({ fault: () => unreadable(200) });
    await assert.rejects(bad.vt.run(bad.portal.listAccounts(TOKEN)), (e) => isSsoError(e, 'BadResponse'));
    assert.equal(bad.client.stats.requests, 1);
  });
});

describe('Portal retries', () => {
  it('retries 5xx and connection resets with growing, jittered backoff, then succeeds', async () => {
    const faults = [serviceError(500, 'InternalServerException'), resetError(), serviceError(503, 'ServiceUnavailableException'), resetError()];
    const { vt, client, portal } = setup({ fault: (op) => (op === 'ListAccountsCommand' ? faults.shift() : undefined) });
    const got = await vt.run(portal.listAccounts(TOKEN));
    assert.equal(got.length, 5);
    assert.equal(client.stats.byOp.ListAccountsCommand, 5);
    const gaps = client.log.slice(1).map((e, i) => e.at - client.log[i].at);
    for (let i = 1; i < gaps.length; i++) assert.ok(gaps[i] > gaps[i - 1] * 0.9, `backoff shrank: ${gaps.join(', ')}`);
  });

  it('gives up on a deadline, not a count', async () => {
    for (const deadline of [2_000, 20_000]) {
      const { vt, client, portal } = setup({ retryDeadlineMs: deadline, fault: () => serviceError(500, 'InternalServerException') });
      const t0 = vt.clock.now();
      await assert.rejects(vt.run(portal.listAccounts(TOKEN)), (e: unknown) => {
        assert.ok(isSsoError(e, 'Network'));
        assert.match((e as Error).message, /kept failing/);
        assertNoToken(e);
        return true;
      });
      const elapsed = vt.clock.now() - t0;
      assert.ok(elapsed >= deadline && elapsed < deadline + 1_000, `gave up after ${elapsed} ms for a ${deadline} ms deadline`);
      assert.ok(client.stats.requests >= 4, `only ${client.stats.requests} attempts`);
    }
    // A longer deadline means more attempts: it is time that bounds them.
    const short = setup({ retryDeadlineMs: 2_000, fault: () => serviceError(500, 'InternalServerException') });
    const long = setup({ retryDeadlineMs: 30_000, fault: () => serviceError(500, 'InternalServerException') });
    await assert.rejects(short.vt.run(short.portal.listAccounts(TOKEN)));
    await assert.rejects(long.vt.run(long.portal.listAccounts(TOKEN)));
    assert.ok(long.client.stats.requests > short.client.stats.requests + 3);
  });

  it('reports endless throttling as Throttled after the deadline', async () => {
    const { vt, portal } = setup({ retryDeadlineMs: 5_000, fault: () => serviceError(429, 'TooManyRequestsException') });
    await assert.rejects(vt.run(portal.listAccounts(TOKEN)), (e) => isSsoError(e, 'Throttled'));
  });

  it('turns a 401 into SessionEnded at once, asking to sign in again', async () => {
    const { vt, client, portal } = setup({});
    await assert.rejects(vt.run(portal.listAccounts('aoa-expired-token-value')), (e: unknown) => {
      assert.ok(isSsoError(e, 'SessionEnded'));
      assert.match((e as Error).message, /sign in again/i);
      assert.ok(!(e as Error).message.includes('aoa-expired-token-value'));
      return true;
    });
    assert.equal(client.stats.requests, 1);
  });
});

describe('Portal.listAll', () => {
  it('lists 2,000 accounts under a token-bucket throttle near its limit, with few 429s', async () => {
    const accounts = makeOrg(2000);
    const { vt, client, portal } = setup({ accounts, throttle: { rate: 400, burst: 50 }, latencyMs: 2, concurrency: 8 });
    const t0 = vt.clock.now();
    const r = await vt.run(portal.listAll(TOKEN));
    const wall = vt.clock.now() - t0;
    assert.equal(r.failed.size, 0);
    assert.equal(r.accounts.length, 2000);
    for (const a of accounts) assert.deepEqual(r.roles.get(a.accountId)?.map((x) => x.roleName), a.roles);
    const ok = client.stats.requests - client.stats.throttled;
    const bound = ((ok - 50) / 400) * 1000;
    assert.ok(wall <= 1.1 * bound, `took ${wall.toFixed(0)} ms, lower bound ${bound.toFixed(0)} ms`);
    assert.ok(client.stats.throttled / client.stats.requests < 0.02, `${client.stats.throttled} of ${client.stats.requests} throttled`);
    assert.ok(client.stats.maxConcurrent <= 8);
  });

  it('streams: roles of the first page arrive before the last page of accounts', async () => {
    const accounts = makeOrg(450);
    const { vt, portal } = setup({ accounts, latencyMs: 20 });
    const events: string[] = [];
    const r = await vt.run(
      portal.listAll(TOKEN, {
        onAccounts: (p) => events.push(`accounts:${p.length}`),
        onRoles: (id) => events.push(`roles:${id}`),
      }),
    );
    assert.equal(r.accounts.length, 450);
    const lastPage = events.lastIndexOf('accounts:50');
    const firstRoles = events.findIndex((e) => e.startsWith('roles:'));
    assert.ok(firstRoles >= 0 && firstRoles < lastPage, `first roles at ${firstRoles}, last page at ${lastPage}`);
    assert.equal(events.filter((e) => e.startsWith('roles:')).length, 450);
  });

  it('reports accounts that keep failing and completes the rest', async () => {
    const accounts = makeOrg(60);
    const denied = new Set([accounts[3].accountId, accounts[40].accountId]);
    const broken = accounts[17].accountId;
    const { vt, portal } = setup({
      accounts,
      retryDeadlineMs: 3_000,
      fault: (op, input) => {
        if (op !== 'ListAccountRolesCommand') return undefined;
        if (denied.has(String(input.accountId))) return serviceError(403, 'ForbiddenException', 'No access');
        if (input.accountId === broken) return serviceError(500, 'InternalServerException');
        return undefined;
      },
    });
    const reported: string[] = [];
    const r = await vt.run(portal.listAll(TOKEN, { onAccountError: (id, e) => reported.push(`${id}:${e.code}`) }));
    assert.deepEqual([...r.failed.keys()].sort(), [...denied, broken].sort());
    for (const id of denied) assert.equal(r.failed.get(id)?.code, 'AccessDenied');
    assert.equal(r.failed.get(broken)?.code, 'Network');
    assert.equal(reported.length, 3);
    assert.equal(r.roles.size, 57);
    for (const a of accounts) if (!r.failed.has(a.accountId)) assert.equal(r.roles.get(a.accountId)?.length, a.roles.length);
    // Roles are keyed in service order.
    assert.deepEqual([...r.roles.keys()], accounts.map((a) => a.accountId).filter((id) => !r.failed.has(id)));
  });

  it('stops everything on a 401 with SessionEnded', async () => {
    const accounts = makeOrg(300);
    let roleCalls = 0;
    let expired = false;
    const { vt, client, portal } = setup({
      accounts,
      fault: (op) => {
        if (op === 'ListAccountRolesCommand' && ++roleCalls === 40) expired = true;
        return expired ? serviceError(401, 'UnauthorizedException', 'Session token not found or invalid') : undefined;
      },
    });
    await assert.rejects(vt.run(portal.listAll(TOKEN)), (e: unknown) => {
      assert.ok(isSsoError(e, 'SessionEnded'));
      assertNoToken(e);
      return true;
    });
    // Only what was already in flight when the first 401 came back may follow it.
    const first401 = client.log.findIndex((e) => e.status === 401);
    assert.ok(client.log.length - first401 <= 8 + 1, `${client.log.length - first401} requests from the first 401 on`);
    assert.ok(client.stats.requests < 100);
  });

  it('stops promptly when aborted, sending nothing new', async () => {
    const accounts = makeOrg(500);
    const { vt, client, portal } = setup({ accounts, throttle: { rate: 50, burst: 10 }, latencyMs: 30 });
    const ac = new AbortController();
    let abortedAt = 0;
    let sentAtAbort = 0;
    vt.at(1_500, () => {
      abortedAt = vt.clock.now();
      sentAtAbort = client.stats.requests;
      ac.abort();
    });
    await assert.rejects(vt.run(portal.listAll(TOKEN, { signal: ac.signal })), (e) => isSsoError(e, 'Cancelled'));
    assert.ok(vt.clock.now() - abortedAt < 1, 'the listing did not reject at once');
    assert.equal(client.stats.requests, sentAtAbort, 'requests were sent after the abort');
    assert.ok(sentAtAbort > 20 && sentAtAbort < 500);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { vt, client, portal } = setup({});
    await assert.rejects(vt.run(portal.listAll(TOKEN, { signal: AbortSignal.abort() })), (e) => isSsoError(e, 'Cancelled'));
    assert.equal(client.stats.requests, 0);
  });

  it('shares one limiter between portals', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 2 });
    const client = new SimPortalClient({ accounts: makeOrg(40), clock: vt.clock, sleep: vt.sleep, latencyMs: 10 });
    const a = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep, limiter });
    const b = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep, limiter });
    await vt.run(Promise.all([a.listAll(TOKEN), b.listAll(TOKEN)]));
    assert.equal(client.stats.maxConcurrent, 2);
  });
});

describe('Portal.getRoleCredentials', () => {
  it('returns the role credentials', async () => {
    const accounts = makeOrg(2, () => 2);
    const { vt, client, portal } = setup({ accounts });
    const c = await vt.run(portal.getRoleCredentials(TOKEN, accounts[1].accountId, 'ReadOnlyAccess'));
    assert.equal(c.accessKeyId, 'ASIASIMULATED0000001');
    assert.equal(c.secretAccessKey, `sim-secret-${accounts[1].accountId}`);
    assert.equal(c.sessionToken, 'sim-session-ReadOnlyAccess');
    assert.equal(c.expiration, vt.clock.now() - 5 + 3600_000);
    assert.deepEqual(client.log[0].input, { accessToken: TOKEN, accountId: accounts[1].accountId, roleName: 'ReadOnlyAccess' });
  });

  it('maps 403 to AccessDenied naming the role, and 401 to SessionEnded', async () => {
    const accounts = makeOrg(1, () => 1);
    const { vt, portal } = setup({ accounts });
    await assert.rejects(vt.run(portal.getRoleCredentials(TOKEN, accounts[0].accountId, 'Billing')), (e: unknown) => {
      assert.ok(isSsoError(e, 'AccessDenied'));
      assert.match((e as Error).message, /Billing/);
      assert.match((e as Error).message, new RegExp(accounts[0].accountId));
      assertNoToken(e);
      return true;
    });
    await assert.rejects(vt.run(portal.getRoleCredentials('bad-token-000000', accounts[0].accountId, 'AdministratorAccess')), (e) =>
      isSsoError(e, 'SessionEnded'),
    );
  });

  it('rejects incomplete credentials as BadResponse without echoing them', async () => {
    const vt = new VirtualTime();
    const client: PortalClientLike = {
      send: async () => ({ roleCredentials: { accessKeyId: 'ASIAX', secretAccessKey: 'SECRET-VALUE-123', expiration: 1 } }),
    };
    const portal = new Portal({ region: 'us-east-1', client, clock: vt.clock, sleep: vt.sleep });
    await assert.rejects(vt.run(portal.getRoleCredentials(TOKEN, '123456789012', 'R')), (e: unknown) => {
      assert.ok(e instanceof SsoError && e.code === 'BadResponse');
      assert.ok(!e.message.includes('SECRET-VALUE-123'));
      return true;
    });
  });
});
