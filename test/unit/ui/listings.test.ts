// The tree's listings lifecycle without the editor: what the view is told about prefetch progress
// (the "Listing roles of …: n of m accounts…" message) and account pages, with fake timers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SsoError } from '../../../src/core/errors';
import { ListingCache } from '../../../src/core/portal/listingCache';
import type { Account, Role } from '../../../src/core/types';
import type { Services } from '../../../src/ui/services';
import type { UiSession } from '../../../src/ui/sessionsModel';
import { AccountsEvent, ListingsView, PrefetchProgress, TreeListings } from '../../../src/ui/tree/listings';
import { FakeTimers } from '../../helpers/fakeTimers';

const SESSION: UiSession = { name: 'org', startUrl: 'https://d-1.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'], source: 'config' };
const settle = () => new Promise((r) => setImmediate(r));

interface Pending {
  accountId: string;
  resolve(r: Role[]): void;
  reject(e: unknown): void;
}

/** A portal whose role listings wait until the test answers them; aborting rejects them, as the portal does. */
function harness(accountCount: number) {
  const accounts: Account[] = Array.from({ length: accountCount }, (_, i) => ({ accountId: String(100 + i), accountName: `acct-${i}` }));
  const pending: Pending[] = [];
  const portal = {
    listAccounts: async () => accounts,
    listRoles: (_t: string, accountId: string, o: { signal?: AbortSignal }) =>
      new Promise<Role[]>((resolve, reject) => {
        pending.push({ accountId, resolve, reject });
        o.signal?.addEventListener('abort', () => reject(new SsoError('Cancelled', 'cancelled')), { once: true });
      }),
    rateLimiter: { concurrency: 2 },
  };
  const services = {
    auth: { getAccessToken: async () => ({ accessToken: 'token' }) },
    portal: () => portal,
    listings: new ListingCache(),
  } as unknown as Pick<Services, 'auth' | 'portal' | 'listings'>;
  const told: PrefetchProgress[][] = [];
  const pages: AccountsEvent[] = [];
  const redrawn: string[] = [];
  const view: ListingsView = {
    redrawSession: (name) => redrawn.push(name),
    rolesSettled: () => undefined,
    accountsProgress: (e) => pages.push(e),
    prefetchProgress: (all) => told.push(all),
    signedOut: () => undefined,
    warn: () => undefined,
  };
  const timers = new FakeTimers();
  const listings = new TreeListings(services, view, { timers, clock: timers.clock });
  /** Answers the oldest pending role listing. */
  const answer = async (how: 'ok' | SsoError = 'ok') => {
    const p = pending.shift()!;
    if (how === 'ok') p.resolve([{ accountId: p.accountId, roleName: 'R' }]);
    else p.reject(how);
    await settle();
  };
  /** What the view shows now: the last progress it was told. */
  const shown = () => told.at(-1) ?? [];
  return { listings, timers, told, pages, redrawn, pending, answer, shown };
}

test('after the listing is dropped (sign-out), the prefetch message is gone and stays gone', async () => {
  const h = harness(6);
  const listing = h.listings.get(SESSION);
  const prefetch = listing.prefetchRoles();
  await settle();
  await h.answer();
  await h.timers.advance(250);
  assert.deepEqual(h.shown(), [{ session: 'org', done: 1, total: 6 }], 'progress shown while listing');
  await h.answer(); // progress waiting for its throttle timer when the sign-out comes
  h.listings.drop('org');
  assert.deepEqual(h.shown(), [], 'gone at once');
  const toldAtDrop = h.told.length;
  // The calls in flight settle after the drop (cancelled) and the throttle timer comes due.
  await prefetch;
  await settle();
  await h.timers.advance(10_000);
  assert.deepEqual(h.told.slice(toldAtDrop), [], 'nothing told after the drop');
  assert.deepEqual(h.shown(), []);
  assert.equal(h.timers.pending, 0, 'no timer left behind');
});

test('a prefetch that stops early (the sign-in ended) takes its message with it', async () => {
  const h = harness(6);
  const prefetch = h.listings.get(SESSION).prefetchRoles();
  await settle();
  await h.answer();
  await h.timers.advance(250);
  assert.deepEqual(h.shown(), [{ session: 'org', done: 1, total: 6 }]);
  await h.answer(new SsoError('SessionEnded', 'ended'));
  await h.answer();
  await prefetch;
  await h.timers.advance(10_000);
  assert.deepEqual(h.shown(), [], `still shown: ${JSON.stringify(h.shown())}`);
});

test('a finished prefetch clears its message at once and caches the listing', async () => {
  const h = harness(3);
  const listing = h.listings.get(SESSION);
  const prefetch = listing.prefetchRoles();
  await settle();
  for (let i = 0; i < 3; i++) await h.answer();
  await prefetch;
  assert.deepEqual(h.shown(), []);
  assert.ok(listing.complete);
  h.listings.drop('org');
  // A new listing for the session starts from the cache: no call.
  const again = h.listings.get(SESSION);
  assert.equal(again.complete, true);
  assert.equal(h.pending.length, 0);
});

test('progress is told a few times a second at most, not once per account', async () => {
  const h = harness(40);
  const prefetch = h.listings.get(SESSION).prefetchRoles();
  await settle();
  for (let i = 0; i < 20; i++) await h.answer();
  assert.equal(h.told.length, 0, 'nothing yet: the first report waits for its timer');
  await h.timers.advance(250);
  assert.deepEqual(h.told, [[{ session: 'org', done: 20, total: 40 }]]);
  for (let i = 0; i < 20; i++) await h.answer();
  await prefetch;
  assert.deepEqual(h.told.at(-1), []);
  assert.equal(h.told.length, 2);
});
