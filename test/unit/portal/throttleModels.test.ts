// The listing at the limit under every throttle shape the portal might use, on virtual time: a change that fits one shape and breaks another fails here.
//
// Each case runs Portal.listAll against the simulated portal behind one of the bench's throttle models
// (test/fakes/throttle.ts), with this machine's delays and Node's millisecond timers, and judges it by counts and virtual time only: wall
// time ÷ the throttle's lower bound, the share of calls answered 429, the accounts that failed. The real-time
// bench (npm run bench -- --only listing) measures the same grid at full size.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeThrottle, throttleShapes } from '../../fakes/throttle';
import { simulateListing } from '../../helpers/portal-listingSim';
import { AdaptiveRateLimiter } from '../../../src/core/portal/rateLimiter';

const ACCOUNTS = 1000;

describe('listing under each throttle shape (virtual time)', () => {
  for (const rate of [20, 50]) {
    for (const { name, model } of throttleShapes(rate, Math.ceil(ACCOUNTS / 100) + ACCOUNTS)) {
      it(`${name} at ${rate} req/s (${describeThrottle(model)}): ≤ 1.10 × the lower bound, < 2 % 429s, none failed`, async () => {
        const r = await simulateListing({ n: ACCOUNTS, throttle: model, latency: 0.7, jitter: 0.5, tail: true, nodeTimers: true, seed: 1 });
        const figures = `${(r.walls[0] / 1000).toFixed(1)} s for a bound of ${(r.boundMs / 1000).toFixed(1)} s, ${r.throttled} 429s of ${r.requests} requests`;
        assert.equal(r.failed, 0, figures);
        assert.ok(r.ratio <= 1.1, `ratio ${r.ratio.toFixed(3)}: ${figures}`);
        assert.ok(r.share429 < 0.02, `429 share ${(r.share429 * 100).toFixed(2)} %: ${figures}`);
      });
    }
  }
});

describe('against a server that holds no burst, pacing loses no timer grain (virtual time)', () => {
  // Node's timers wake in whole milliseconds, up to one late; at 50/s that is 2-3 % of every spacing, which
  // a server without burst never gives back. Once tracking such a server, the limiter's waits are precise.
  const c = { n: ACCOUNTS, throttle: { kind: 'bucket' as const, rate: 50, burst: 1 }, latency: 0.7, jitter: 0.5, tail: true, nodeTimers: true, seed: 1 };

  it('burst 1 at 50 req/s: ≤ 1.085 × the lower bound with precise waits; the millisecond grain alone costs more', async () => {
    const precise = await simulateListing(c);
    const coarse = await simulateListing(c, { limiter: (vt, _now, sleep) => new AdaptiveRateLimiter({ clock: vt.clock, sleep, preciseSleep: sleep }) });
    assert.ok(precise.ratio <= 1.085, `precise waits: ratio ${precise.ratio.toFixed(3)}`);
    assert.ok(coarse.ratio > precise.ratio, `millisecond waits: ratio ${coarse.ratio.toFixed(3)} against ${precise.ratio.toFixed(3)}`);
  });

  it('a server with a burst never gets precise waits (they cost CPU)', async () => {
    let precise = 0;
    await simulateListing({ ...c, throttle: { kind: 'bucket', rate: 50, burst: 20 } }, {
      limiter: (vt, _now, sleep) =>
        new AdaptiveRateLimiter({ clock: vt.clock, sleep, preciseSleep: (ms, signal) => (precise++, sleep(ms, signal)) }),
    });
    assert.equal(precise, 0);
  });
});

describe('a rate that halves during a 500-account listing, over ten seeds (virtual time)', () => {
  // Such a listing may meet ten 429s; one seed's count moves by one or two, so a single seed says little.
  // Spending the start's burst, reading the rate, and following the halving must stay inside that on each.
  for (const rate of [20, 50]) {
    it(`at ${rate} req/s: every seed ≤ 1.10 × the lower bound, < 2 % 429s, none failed`, async () => {
      const model = throttleShapes(rate, Math.ceil(500 / 100) + 500).find((s) => s.name === 'halving')!.model;
      const misses: string[] = [];
      for (let seed = 1; seed <= 10; seed++) {
        const r = await simulateListing({ n: 500, throttle: model, latency: 0.7, jitter: 0.5, tail: true, nodeTimers: true, seed });
        if (r.ratio > 1.1 || r.share429 >= 0.02 || r.failed > 0) misses.push(`seed ${seed}: ${r.ratio.toFixed(3)}×, ${r.throttled} 429s of ${r.requests}, ${r.failed} failed`);
      }
      assert.deepEqual(misses, []);
    });
  }
});
