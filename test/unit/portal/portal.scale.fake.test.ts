// Integration test of the fan-out at scale: the real SDK client against the fake Identity Center's token-bucket throttle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Portal } from '../../../src/core/portal/portal';
import { FakeIdentityCenter } from '../../fakes/identityCenter';

const calls = (f: FakeIdentityCenter) => (f.stats.requests.accounts ?? 0) + (f.stats.requests.roles ?? 0);

describe('Portal: 2,000 accounts behind a token-bucket throttle', () => {
  let fake: FakeIdentityCenter;
  before(async () => {
    fake = await FakeIdentityCenter.start({ accounts: 2000, seed: 7, throttle: { rate: 400, burst: 50 }, latencyMs: 3 });
  });
  after(() => fake.close());

  it('lists every account and role, with few 429s and bounded concurrency', async () => {
    const portal = new Portal({ region: 'us-east-1', env: fake.env(), concurrency: 8 });
    try {
      const r = await portal.listAll(fake.mintToken().accessToken);
      assert.equal(r.failed.size, 0);
      assert.deepEqual(
        r.accounts.map((a) => a.accountId),
        fake.accounts.map((a) => a.accountId),
      );
      for (const a of fake.accounts) {
        assert.deepEqual(r.roles.get(a.accountId)?.map((x) => x.roleName), a.roles, `roles of ${a.accountId}`);
      }
      const n = calls(fake);
      assert.ok(fake.stats.throttled / n < 0.1, `${fake.stats.throttled} of ${n} calls throttled`);
      assert.ok(fake.stats.maxConcurrent <= 8, `max concurrent ${fake.stats.maxConcurrent}`);
    } finally {
      portal.dispose();
    }
  });
});
