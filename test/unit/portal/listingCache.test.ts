// Tests of the per-session listing cache: TTL on an injected clock, refresh, sign-out and shared loads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SsoError } from '../../../src/core/errors';
import { ListingCache } from '../../../src/core/portal/listingCache';
import { Listing } from '../../../src/core/portal/portal';
import { fakeTime } from '../../helpers/fakeTime';

const work = { name: 'work', startUrl: 'https://d-1234567890.awsapps.com/start' };
const other = { name: 'other', startUrl: 'https://d-0987654321.awsapps.com/start' };
// A legacy profile on the same portal: the same start URL string (as the AWS CLI compares them).
const legacyWork = { startUrl: ' https://d-1234567890.awsapps.com/start' };
// Another spelling is another portal to the AWS CLI (its token file and checks use the exact string).
const otherSpelling = { startUrl: 'https://D-1234567890.awsapps.com/start/' };

function listing(n: number, failed = 0): Listing {
  const accounts = Array.from({ length: n }, (_, i) => ({ accountId: String(100000000000 + i), accountName: `a${i}` }));
  const roles = new Map(accounts.map((a) => [a.accountId, [{ accountId: a.accountId, roleName: 'ReadOnly' }]]));
  const f = new Map<string, SsoError>();
  for (let i = 0; i < failed; i++) f.set(`99999999999${i}`, new SsoError('Network', 'x'));
  return { accounts, roles, failed: f };
}

describe('ListingCache', () => {
  it('serves a listing until its TTL passes', () => {
    const t = fakeTime();
    const cache = new ListingCache({ ttlMs: 60_000, clock: t.clock });
    cache.set(work, listing(3));
    t.advance(59_999);
    assert.equal(cache.get(work)?.accounts.length, 3);
    assert.equal(cache.get(work)?.fetchedAt, t.clock.now() - 59_999);
    t.advance(1);
    assert.equal(cache.get(work), undefined);
  });

  it('keeps a listing with failed accounts for a shorter time', () => {
    const t = fakeTime();
    const cache = new ListingCache({ ttlMs: 600_000, partialTtlMs: 30_000, clock: t.clock });
    cache.set(work, listing(3, 1));
    t.advance(29_000);
    assert.ok(cache.get(work));
    t.advance(1_000);
    assert.equal(cache.get(work), undefined);
  });

  it('keys by session name, or by the start URL (trimmed, otherwise exact) without one', () => {
    const t = fakeTime();
    const cache = new ListingCache({ clock: t.clock });
    cache.set(work, listing(1));
    cache.set(other, listing(2));
    cache.set(legacyWork, listing(3));
    assert.equal(cache.get(work)?.accounts.length, 1);
    assert.equal(cache.get(other)?.accounts.length, 2);
    assert.equal(cache.get({ startUrl: 'https://d-1234567890.awsapps.com/start' })?.accounts.length, 3);
    assert.equal(cache.get(otherSpelling), undefined);
    assert.equal(ListingCache.key(work), 'session:work');
    assert.equal(ListingCache.key(legacyWork), 'url:https://d-1234567890.awsapps.com/start');
  });

  it('drops a listing on refresh and loads again', async () => {
    const t = fakeTime();
    const cache = new ListingCache({ clock: t.clock });
    let loads = 0;
    const load = async () => listing(++loads);
    assert.equal((await cache.getOrLoad(work, load)).accounts.length, 1);
    assert.equal((await cache.getOrLoad(work, load)).accounts.length, 1);
    assert.equal((await cache.getOrLoad(work, load, { refresh: true })).accounts.length, 2);
    cache.invalidate(work);
    assert.equal(cache.get(work), undefined);
    assert.equal((await cache.getOrLoad(work, load)).accounts.length, 3);
    assert.equal(loads, 3);
  });

  it('forgets every listing of the portal on sign-out, and only those', () => {
    const t = fakeTime();
    const cache = new ListingCache({ clock: t.clock });
    cache.set(work, listing(1));
    cache.set(legacyWork, listing(1));
    cache.set(otherSpelling, listing(1));
    cache.set(other, listing(1));
    cache.signedOut(work);
    assert.equal(cache.get(work), undefined);
    assert.equal(cache.get(legacyWork), undefined);
    assert.ok(cache.get(otherSpelling), 'another spelling is another token file for the CLI');
    assert.ok(cache.get(other));
  });

  it('shares one load between concurrent callers', async () => {
    const cache = new ListingCache({ clock: fakeTime().clock });
    let loads = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const load = async () => {
      loads++;
      await gate;
      return listing(4);
    };
    const a = cache.getOrLoad(work, load);
    const b = cache.getOrLoad(work, load);
    release();
    const [x, y] = await Promise.all([a, b]);
    assert.equal(loads, 1);
    assert.equal(x, y);
  });

  it('does not keep a listing that finished after sign-out', async () => {
    const cache = new ListingCache({ clock: fakeTime().clock });
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const pending = cache.getOrLoad(work, async () => {
      await gate;
      return listing(5);
    });
    cache.signedOut(work);
    release();
    assert.equal((await pending).accounts.length, 5);
    assert.equal(cache.get(work), undefined);
  });

  it('does not cache a failed load', async () => {
    const cache = new ListingCache({ clock: fakeTime().clock });
    await assert.rejects(cache.getOrLoad(work, async () => Promise.reject(new SsoError('SessionEnded', 'sign in'))));
    assert.equal(cache.get(work), undefined);
    assert.equal((await cache.getOrLoad(work, async () => listing(2))).accounts.length, 2);
  });
});
