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

/** A source that hands accounts over page by page, each page when its gate opens. */
function pagedSource(pages: Account[][]) {
  const gates = pages.map(() => deferred<void>());
  const source: ListingSource = {
    accessToken: async () => 'token',
    listAccounts: async (_t, o) => {
      const all: Account[] = [];
      for (const [i, page] of pages.entries()) {
        await gates[i].promise;
        if (i === pages.length - 1 && page.length === 0) throw new SsoError('Network', 'down');
        all.push(...page);
        o.onPage?.(page);
      }
      return all;
    },
    listRoles: async () => [],
    prefetchConcurrency: 1,
  };
  return { source, open: (i: number) => gates[i].resolve() };
}

test('accounts are shown from the first page, sorted so far, and all of them sorted at the end', async () => {
  const pages = [
    [account('5', 'echo'), account('1', 'alpha')],
    [account('3', 'charlie'), account('2', 'bravo')],
    [account('4', 'delta')],
  ];
  const f = pagedSource(pages);
  const events: ListingEvent[] = [];
  const l = new SessionListing(f.source, (e) => events.push(e));
  const all = l.loadAccounts();
  const first = l.loadFirstAccounts();
  f.open(0);
  assert.deepEqual((await first).map((a) => a.accountName), ['alpha', 'echo']);
  assert.equal(l.listingAccounts, true);
  assert.equal(l.complete, false);
  assert.deepEqual(l.snapshot().accounts.map((a) => a.accountId), ['1', '5'], 'Find sees what is listed so far');
  assert.equal(l.account('5')?.accountName, 'echo');
  f.open(1);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(l.accountsSoFar().map((a) => a.accountName), ['alpha', 'bravo', 'charlie', 'echo']);
  assert.deepEqual((await l.loadFirstAccounts()).length, 4, 'a later look gets the pages so far at once');
  f.open(2);
  assert.deepEqual((await all).map((a) => a.accountName), ['alpha', 'bravo', 'charlie', 'delta', 'echo']);
  assert.equal(l.listingAccounts, false);
  assert.deepEqual(
    events.map((e) => (e.kind === 'accountsPage' ? `page ${e.count}` : e.kind)),
    ['page 2', 'page 4', 'page 5', 'accounts'],
  );
});

test('a listing that fails after some pages reports the failure, and before any page rejects the first look', async () => {
  const f = pagedSource([[account('1', 'a')], []]);
  const l = new SessionListing(f.source, () => undefined);
  const first = l.loadFirstAccounts();
  f.open(0);
  assert.equal((await first).length, 1);
  f.open(1);
  await assert.rejects(l.loadAccounts(), /down/);
  assert.equal(l.accountsState.status, 'failed');
  assert.deepEqual(l.accountsSoFar(), []);

  const g = pagedSource([[]]);
  const m = new SessionListing(g.source, () => undefined);
  const firstLook = m.loadFirstAccounts();
  g.open(0);
  await assert.rejects(firstLook, /down/);
});

test('each page merged into the accounts so far gives the order of sorting them all', async () => {
  const names = ['b', 'A', 'a', 'team-10', 'team-9', 'Zed', 'é', 'e', 'b'];
  const accounts = names.map((n, i) => account(String(100 + i), n));
  const pages: Account[][] = [];
  for (let i = 0; i < accounts.length; i += 2) pages.push(accounts.slice(i, i + 2));
  const f = pagedSource(pages);
  const l = new SessionListing(f.source, () => undefined);
  const all = l.loadAccounts();
  for (let i = 0; i < pages.length; i++) {
    f.open(i);
    await new Promise((r) => setImmediate(r));
    const sofar = accounts.slice(0, 2 * i + 2);
    if (i < pages.length - 1) assert.deepEqual(l.accountsSoFar().map((a) => a.accountId), sortAccounts(sofar).map((a) => a.accountId), `after page ${i + 1}`);
  }
  assert.deepEqual((await all).map((a) => a.accountId), sortAccounts(accounts).map((a) => a.accountId));
});

test('after dispose the listing tells nothing more: no prefetch progress from calls still settling', async () => {
  const accounts = ['1', '2', '3', '4', '5'].map((id) => account(id, `acct-${id}`));
  const source: ListingSource = {
    accessToken: async () => 'token',
    listAccounts: async () => accounts,
    // Like the portal: a call in flight rejects with Cancelled when the listing's signal aborts.
    listRoles: (_t, _id, o) =>
      new Promise<Role[]>((_, reject) => o.signal.addEventListener('abort', () => reject(new SsoError('Cancelled', 'cancelled')), { once: true })),
    prefetchConcurrency: 2,
  };
  const events: ListingEvent[] = [];
  let disposed = false;
  const late: ListingEvent[] = [];
  const l = new SessionListing(source, (e) => (disposed ? late : events).push(e));
  const prefetch = l.prefetchRoles();
  await new Promise((r) => setImmediate(r));
  assert.equal(l.prefetchRunning, true);
  disposed = true;
  l.dispose();
  await prefetch;
  assert.deepEqual(late, [], `events after dispose: ${JSON.stringify(late)}`);
  assert.equal(l.prefetchRunning, false);
});
