import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SsoError } from '../../../src/core/errors';
import type { Account, Role } from '../../../src/core/types';
import { ListingEvent, ListingSource, SessionListing, sortAccounts } from '../../../src/ui/tree/sessionListing';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

function account(id: string, name: string): Account {
  return { accountId: id, accountName: name };
}

interface Call {
  accountId: string;
  priority?: boolean;
}

function fakeSource(accounts: Account[], roles: (id: string) => Promise<Role[]>, concurrency = 2) {
  const calls: Call[] = [];
  let accountCalls = 0;
  const source: ListingSource = {
    accessToken: async () => 'token',
    listAccounts: async () => {
      accountCalls++;
      return accounts;
    },
    listRoles: (_t, accountId, o) => {
      calls.push({ accountId, priority: o.priority });
      return roles(accountId);
    },
    prefetchConcurrency: concurrency,
  };
  return { source, calls, accountCalls: () => accountCalls };
}

test('accounts are sorted by name (case and numbers the way people read them), ties by ID', () => {
  const sorted = sortAccounts([account('3', 'beta'), account('2', 'Alpha'), account('10', 'team-10'), account('9', 'team-9'), account('1', 'alpha')]);
  assert.deepEqual(sorted.map((a) => a.accountId), ['1', '2', '3', '9', '10']);
});

test('one account listing however many callers ask, and roles sorted', async () => {
  const f = fakeSource([account('2', 'b'), account('1', 'a')], async (id) => [{ accountId: id, roleName: 'Zed' }, { accountId: id, roleName: 'admin' }]);
  const events: ListingEvent[] = [];
  const l = new SessionListing(f.source, (e) => events.push(e));
  const [a, b] = await Promise.all([l.loadAccounts(), l.loadAccounts()]);
  assert.equal(a, b);
  assert.equal(f.accountCalls(), 1);
  assert.deepEqual(a.map((x) => x.accountName), ['a', 'b']);
  assert.deepEqual((await l.loadRoles('1')).map((r) => r.roleName), ['admin', 'Zed']);
  assert.deepEqual(events.map((e) => e.kind), ['accounts', 'roles']);
});

test('an expanded account shares the background request already in flight, and jumps the queue otherwise', async () => {
  const gates = new Map<string, ReturnType<typeof deferred<Role[]>>>();
  const accounts = ['1', '2', '3', '4'].map((id) => account(id, `acct-${id}`));
  const f = fakeSource(accounts, (id) => {
    const d = deferred<Role[]>();
    gates.set(id, d);
    return d.promise;
  }, 1);
  const l = new SessionListing(f.source, () => undefined);
  const prefetch = l.prefetchRoles();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(f.calls, [{ accountId: '1', priority: false }]);
  const expanded1 = l.loadRoles('1');
  const expanded3 = l.loadRoles('3');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(f.calls.map((c) => [c.accountId, c.priority]), [['1', false], ['3', true]], 'no second request for 1; 3 asked with priority');
  for (const id of ['1', '3']) gates.get(id)!.resolve([{ accountId: id, roleName: 'R' }]);
  await Promise.all([expanded1, expanded3]);
  // The prefetch goes on with what is left and skips 3.
  for (let i = 0; i < 5; i++) {
    await new Promise((r) => setImmediate(r));
    for (const [id, g] of gates) if (id !== '1' && id !== '3') g.resolve([{ accountId: id, roleName: 'R' }]);
  }
  await prefetch;
  assert.deepEqual(f.calls.map((c) => c.accountId).sort(), ['1', '2', '3', '4']);
  assert.ok(l.complete);
  assert.equal(l.snapshot().roles.size, 4);
});

test('a failed account keeps its failure (shown with a retry) until reset; the prefetch goes on', async () => {
  let fail = true;
  const f = fakeSource([account('1', 'a'), account('2', 'b')], async (id) => {
    if (id === '1' && fail) throw new SsoError('Network', 'down');
    return [{ accountId: id, roleName: 'R' }];
  });
  const l = new SessionListing(f.source, () => undefined);
  await l.prefetchRoles();
  assert.equal(l.rolesState('1').status, 'failed');
  assert.equal(l.rolesState('2').status, 'loaded');
  assert.ok(l.complete, 'failed accounts count as done');
  assert.equal(l.snapshot().failed.get('1')?.code, 'Network');
  await assert.rejects(l.loadRoles('1'), /down/);
  assert.equal(f.calls.filter((c) => c.accountId === '1').length, 1, 'no silent re-request');
  fail = false;
  l.resetFailure('1');
  assert.deepEqual((await l.loadRoles('1')).map((r) => r.roleName), ['R']);
});

test('an ended session stops the prefetch and says so', async () => {
  const f = fakeSource([account('1', 'a'), account('2', 'b'), account('3', 'c')], async () => {
    throw new SsoError('SessionEnded', 'ended');
  }, 1);
  const events: ListingEvent[] = [];
  const l = new SessionListing(f.source, (e) => events.push(e));
  await l.prefetchRoles();
  assert.equal(f.calls.length, 1, 'no more calls after the session ended');
  assert.ok(events.some((e) => e.kind === 'signedOut'));
});

test('a cached listing is served without any call', async () => {
  const f = fakeSource([], async () => []);
  const l = new SessionListing(f.source, () => undefined, {
    accounts: [account('1', 'a')],
    roles: new Map([['1', [{ accountId: '1', roleName: 'R' }]]]),
    failed: new Map(),
  });
  assert.deepEqual((await l.loadAccounts()).map((a) => a.accountId), ['1']);
  assert.deepEqual((await l.loadRoles('1')).map((r) => r.roleName), ['R']);
  assert.ok(l.complete);
  assert.equal(f.accountCalls(), 0);
  assert.equal(f.calls.length, 0);
});

test('dispose aborts what is in flight', async () => {
  let seen: AbortSignal | undefined;
  const source: ListingSource = {
    accessToken: async () => 't',
    listAccounts: (_t, o) => {
      seen = o.signal;
      return new Promise((_, reject) => o.signal.addEventListener('abort', () => reject(new SsoError('Cancelled', 'c'))));
    },
    listRoles: async () => [],
    prefetchConcurrency: 1,
  };
  const l = new SessionListing(source, () => undefined);
  const p = l.loadAccounts();
  await new Promise((r) => setImmediate(r));
  l.dispose();
  await assert.rejects(p, /c/);
  assert.equal(seen?.aborted, true);
});
