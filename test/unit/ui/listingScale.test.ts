// The tree's listing against the fake Identity Center through the real Portal: 2,000 accounts
// under the portal's throttle, roles prefetched behind the shared rate limiter, an expanded
// account served ahead of the queue, and a failed account kept with its error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Portal } from '../../../src/core/portal/portal';
import { ListingSource, SessionListing } from '../../../src/ui/tree/sessionListing';
import { FakeIdentityCenter } from '../../fakes/identityCenter';

let fake: FakeIdentityCenter;
let token: string;

before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2000, seed: 3, throttle: { rate: 400, burst: 50 } });
  token = fake.mintToken().accessToken;
});
after(() => fake.close());

function source(portal: Portal): ListingSource {
  return {
    accessToken: async () => token,
    listAccounts: (t, o) => portal.listAccounts(t, o),
    listRoles: (t, id, o) => portal.listRoles(t, id, o),
    prefetchConcurrency: portal.rateLimiter.concurrency,
  };
}

test('2,000 accounts: sorted, every role prefetched through the limiter, an expanded account first', { timeout: 120_000 }, async () => {
  const portal = new Portal({ region: 'us-east-1', env: fake.env() });
  const failing = (await portal.listAccounts(token))[1234].accountId;
  fake.failAccounts([failing], 400);
  let prefetched = 0;
  let onProgress = () => undefined as void;
  const l = new SessionListing(source(portal), (e) => {
    if (e.kind === 'prefetch') {
      prefetched = e.done;
      onProgress();
    }
  });
  const accounts = await l.loadAccounts();
  assert.equal(accounts.length, 2000);
  for (let i = 1; i < accounts.length; i++) {
    assert.ok(accounts[i - 1].accountName.localeCompare(accounts[i].accountName, undefined, { sensitivity: 'base', numeric: true }) <= 0);
  }
  const roleRequests = () => fake.stats.requests.roles ?? 0;
  const started = roleRequests();
  const prefetch = l.prefetchRoles();
  // The user expands the last account once the prefetch is well under way and far from it.
  await new Promise<void>((r) => (onProgress = () => (prefetched >= 200 ? r() : undefined)));
  const last = accounts[accounts.length - 1].accountId;
  assert.equal(l.rolesState(last).status, 'idle', 'the prefetch has not reached it');
  const before = roleRequests();
  const roles = await l.loadRoles(last);
  // Counted in requests the portal saw, not in milliseconds: the expanded account is answered
  // after the few requests already under way, not after the 1,800 queued ahead of it.
  const ahead = roleRequests() - before;
  assert.ok(roles.length >= 1);
  await prefetch;
  const total = roleRequests() - started;
  assert.ok(ahead <= 4 * portal.rateLimiter.concurrency, `the expanded account was answered after ${ahead} of ${total} role requests`);
  const snap = l.snapshot();
  assert.equal(snap.roles.size, 1999);
  assert.deepEqual([...snap.failed.keys()], [failing]);
  assert.ok(l.complete);
  assert.ok(fake.stats.maxConcurrent <= portal.rateLimiter.concurrency + 1, `at most ${fake.stats.maxConcurrent} requests at once`);
});
