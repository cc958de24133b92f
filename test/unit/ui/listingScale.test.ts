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
  const l = new SessionListing(source(portal), () => undefined);
  const accounts = await l.loadAccounts();
  assert.equal(accounts.length, 2000);
  for (let i = 1; i < accounts.length; i++) {
    assert.ok(accounts[i - 1].accountName.localeCompare(accounts[i].accountName, undefined, { sensitivity: 'base', numeric: true }) <= 0);
  }
  const prefetch = l.prefetchRoles();
  // The user expands the last account while the prefetch is far from it.
  const last = accounts[accounts.length - 1].accountId;
  const started = Date.now();
  const roles = await l.loadRoles(last);
  const expandMs = Date.now() - started;
  assert.ok(roles.length >= 1);
  await prefetch;
  const totalMs = Date.now() - started;
  assert.ok(expandMs < totalMs / 4, `the expanded account took ${expandMs} ms of ${totalMs} ms`);
  const snap = l.snapshot();
  assert.equal(snap.roles.size, 1999);
  assert.deepEqual([...snap.failed.keys()], [failing]);
  assert.ok(l.complete);
  assert.ok(fake.stats.maxConcurrent <= portal.rateLimiter.concurrency + 1, `at most ${fake.stats.maxConcurrent} requests at once`);
});
