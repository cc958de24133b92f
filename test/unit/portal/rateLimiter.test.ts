// Tests of the adaptive rate limiter on virtual time: pacing, concurrency, reaction to 429s, and learning a server's rate.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveRateLimiter } from '../../../src/core/portal/rateLimiter';
import { createThrottle, lowerBoundMs } from '../../fakes/throttle';
import { seeded } from '../../helpers/portal-listingSim';
import { VirtualTime } from '../../helpers/portal-virtualTime';

/** Drives `n` calls through the limiter against a token-bucket server; 429s retry after a short backoff. */
async function againstBucket(o: { n: number; rate: number; burst: number; latencyMs: number; concurrency?: number; seed?: number }) {
  const vt = new VirtualTime();
  const rnd = seeded(o.seed ?? 1);
  const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: o.concurrency ?? 8 });
  const model = { kind: 'bucket', rate: o.rate, burst: o.burst } as const;
  const server = createThrottle(model);
  let throttled = 0;
  let admitted = 0;
  // Virtual ms after the start at which the server answered 429, and requests in flight when it answered the first.
  const throttledAt: number[] = [];
  let inFlight = 0;
  let inFlightAtFirst429 = 0;
  const t0 = vt.clock.now();
  const leg = () => vt.sleep(o.latencyMs * (0.75 + rnd() * 0.5));
  const call = async (): Promise<void> => {
    for (;;) {
      const permit = await limiter.acquire();
      inFlight++;
      await leg();
      const now = vt.clock.now();
      const ok = server.admit(now);
      if (!ok && throttledAt.push(now - t0) === 1) inFlightAtFirst429 = inFlight;
      await leg();
      inFlight--;
      if (ok) {
        admitted++;
        permit.release('ok');
        return;
      }
      throttled++;
      permit.release('throttled');
      await vt.sleep(25 + rnd() * 25);
    }
  };
  // A few workers keep demand queued, as the portal's fan-out does.
  let next = 0;
  const worker = async () => {
    while (next < o.n) {
      next++;
      await call();
    }
  };
  await vt.run(Promise.all(Array.from({ length: 2 * (o.concurrency ?? 8) }, worker)));
  const wallMs = vt.clock.now() - t0;
  return { wallMs, lowerBoundMs: lowerBoundMs(model, o.n), throttled, admitted, share: throttled / (o.n + throttled), limiter, throttledAt, inFlightAtFirst429 };
}

describe('AdaptiveRateLimiter', () => {
  it('lets a burst through at once, then paces at the rate', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, initialRate: 10, minRate: 10, maxRate: 10, burst: 3, concurrency: 100 });
    const t0 = vt.clock.now();
    const times: number[] = [];
    await vt.run(
      Promise.all(
        Array.from({ length: 13 }, async () => {
          const p = await limiter.acquire();
          times.push(vt.clock.now() - t0);
          p.release('ok');
        }),
      ),
    );
    times.sort((a, b) => a - b);
    assert.deepEqual(times.slice(0, 3), [0, 0, 0]);
    for (let i = 3; i < times.length; i++) {
      assert.ok(Math.abs(times[i] - (i - 2) * 100) < 1, `grant ${i} at ${times[i]} ms, expected ${(i - 2) * 100}`);
    }
  });

  it('never has more permits out than its concurrency', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 3 });
    let out = 0;
    let maxOut = 0;
    await vt.run(
      Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const p = await limiter.acquire();
          out++;
          maxOut = Math.max(maxOut, out);
          await vt.sleep(10 + (i % 4) * 7);
          out--;
          p.release('ok');
        }),
      ),
    );
    assert.equal(maxOut, 3);
    assert.equal(limiter.snapshot().granted, 20);
  });

  it('serves priority waiters first', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 1 });
    const first = await limiter.acquire();
    const order: string[] = [];
    const waits = [
      limiter.acquire().then((p) => (order.push('normal-1'), p.release('ok'))),
      limiter.acquire().then((p) => (order.push('normal-2'), p.release('ok'))),
      limiter.acquire({ priority: true }).then((p) => (order.push('priority'), p.release('ok'))),
    ];
    first.release('ok');
    await vt.run(Promise.all(waits));
    assert.deepEqual(order, ['priority', 'normal-1', 'normal-2']);
  });

  it('rejects an aborted waiter at once and never grants it', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 1 });
    const held = await limiter.acquire();
    const ac = new AbortController();
    const waiting = limiter.acquire({ signal: ac.signal });
    ac.abort();
    await assert.rejects(waiting, (e: Error) => e.name === 'AbortError');
    held.release('ok');
    assert.equal(limiter.snapshot().queued, 0);
    assert.equal(limiter.snapshot().granted, 1);
    await assert.rejects(limiter.acquire({ signal: ac.signal }), (e: Error) => e.name === 'AbortError');
  });

  it('slows down on a 429 and speeds up again while the rate holds demand back, within floor and ceiling', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, initialRate: 100, minRate: 5, maxRate: 100, concurrency: 4 });
    // Ten calls of 10 ms go through at the starting rate, then one is throttled.
    for (let i = 0; i < 10; i++) {
      const p = await vt.run(limiter.acquire());
      await vt.run(vt.sleep(10));
      p.release('ok');
    }
    assert.equal(limiter.rate, 100);
    const p = await vt.run(limiter.acquire());
    p.release('throttled');
    const q = await vt.run(limiter.acquire());
    const cut = limiter.rate;
    assert.ok(cut < 100 * 0.75, `rate after the 429 is ${cut}`);
    q.release('ok');

    // With two callers and free slots, the rate is what holds one of them back: successes raise it.
    let calls = 0;
    const caller = async () => {
      while (calls < 150) {
        calls++;
        const x = await limiter.acquire();
        await vt.sleep(1);
        x.release('ok');
      }
    };
    await vt.run(Promise.all([caller(), caller()]));
    const recovered = limiter.rate;
    assert.ok(recovered > cut * 1.3, `rate ${recovered} did not recover from ${cut}`);
    assert.ok(recovered <= 100);

    // A run of 429s cannot push it under the floor.
    for (let i = 0; i < 30; i++) {
      const x = await vt.run(limiter.acquire());
      x.release('throttled');
    }
    assert.ok(limiter.rate >= 5, `rate ${limiter.rate} under the floor`);
    assert.ok(limiter.rate < recovered);
  });

  it('does not raise the rate while the concurrency is the limit', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, initialRate: 100, maxRate: 1000, concurrency: 1 });
    const p = await vt.run(limiter.acquire());
    p.release('throttled');
    const q = await vt.run(limiter.acquire());
    q.release('ok');
    const after = limiter.rate;
    assert.ok(after < 100);
    await vt.run(
      Promise.all(
        Array.from({ length: 100 }, async () => {
          const x = await limiter.acquire();
          await vt.sleep(200);
          x.release('ok');
        }),
      ),
    );
    assert.equal(limiter.rate, after);
  });

  it('counts in-flight 429s of one overload as one cut', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, initialRate: 200, maxRate: 200, concurrency: 4 });
    // Learn something first so that cuts go straight to tracking.
    const permits = await vt.run(Promise.all([1, 2, 3, 4].map(() => limiter.acquire())));
    permits[0].release('throttled');
    for (const p of permits.slice(1)) p.release('ok');
    // Until a request sent after the 429 gets through, one at a time (the server may still be closed).
    (await vt.run(limiter.acquire())).release('ok');
    const settled = limiter.rate;
    const more = await vt.run(Promise.all([1, 2, 3, 4].map(() => limiter.acquire())));
    more[0].release('throttled');
    const afterOne = limiter.rate;
    more[1].release('throttled');
    more[2].release('throttled');
    more[3].release('throttled');
    assert.ok(afterOne < settled);
    assert.equal(limiter.rate, afterOne, 'the other three were sent before the cut and must not cut again');
  });

  it('learns a fast token-bucket server: near the lower bound with few 429s', async () => {
    const r = await againstBucket({ n: 2000, rate: 400, burst: 50, latencyMs: 2 });
    assert.ok(r.wallMs <= 1.1 * r.lowerBoundMs, `took ${r.wallMs.toFixed(0)} ms, bound ${r.lowerBoundMs.toFixed(0)} ms`);
    assert.ok(r.share < 0.02, `429 share ${(r.share * 100).toFixed(2)} %`);
    assert.ok(r.limiter.estimate !== undefined && Math.abs(r.limiter.estimate - 400) < 20, `estimate ${r.limiter.estimate}`);
  });

  it('learns a slow, high-latency server like the real portal', async () => {
    for (const seed of [1, 2]) {
      const r = await againstBucket({ n: 1000, rate: 20, burst: 20, latencyMs: 60, seed });
      assert.ok(r.wallMs <= 1.1 * r.lowerBoundMs, `took ${r.wallMs.toFixed(0)} ms, bound ${r.lowerBoundMs.toFixed(0)} ms`);
      assert.ok(r.share < 0.02, `429 share ${(r.share * 100).toFixed(2)} %`);
      assert.ok(r.limiter.estimate !== undefined && Math.abs(r.limiter.estimate - 20) < 1, `estimate ${r.limiter.estimate}`);
    }
  });

  it('spends the burst with few requests in flight, so that its end and the first measurement cost few 429s', async () => {
    // A nearby server (round trip ~4 ms): the burst runs out within a few dozen milliseconds, too fast to
    // tell the rate from. Eight requests in flight would all be throttled there, and a guess from the burst
    // would take a string of cuts to come down to the server's rate.
    for (const seed of [1, 2, 3]) {
      for (const [n, rate] of [[500, 20], [2000, 50]]) {
        const r = await againstBucket({ n, rate, burst: 20, latencyMs: 2, seed });
        const first = r.throttledAt[0];
        assert.ok(first !== undefined, 'the burst ran out');
        assert.ok(r.inFlightAtFirst429 <= 2, `${r.inFlightAtFirst429} requests in flight when the burst ran out`);
        const early = r.throttledAt.filter((t) => t < first + 2000).length;
        assert.ok(early <= 5, `${early} 429s in the 2 s after the burst ran out (seed ${seed}, ${rate}/s): ${r.throttledAt.slice(0, 8).map((t) => t.toFixed(0)).join(', ')}`);
        assert.ok(r.wallMs <= 1.1 * r.lowerBoundMs, `took ${r.wallMs.toFixed(0)} ms, bound ${r.lowerBoundMs.toFixed(0)} ms`);
        assert.ok(r.share < 0.02, `429 share ${(r.share * 100).toFixed(2)} %`);
      }
    }
  });

  it('copes with a tiny server burst', async () => {
    const r = await againstBucket({ n: 1000, rate: 50, burst: 2, latencyMs: 20 });
    assert.ok(r.wallMs <= 1.1 * r.lowerBoundMs, `took ${r.wallMs.toFixed(0)} ms, bound ${r.lowerBoundMs.toFixed(0)} ms`);
    assert.ok(r.share < 0.03, `429 share ${(r.share * 100).toFixed(2)} %`);
  });

  it('stays at the ceiling when the server never throttles', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, maxRate: 100, burst: 1, concurrency: 4 });
    const t0 = vt.clock.now();
    await vt.run(
      Promise.all(
        Array.from({ length: 201 }, async () => {
          const p = await limiter.acquire();
          await vt.sleep(5);
          p.release('ok');
        }),
      ),
    );
    const elapsed = vt.clock.now() - t0;
    assert.ok(elapsed >= 2000 && elapsed < 2020, `201 calls at 100/s took ${elapsed} ms`);
    assert.equal(limiter.rate, 100);
  });

  it('does not pin the rate to the floor when the very first requests are throttled', async () => {
    // Someone else spent the server's burst: the first two calls (ListAccounts, retried) come back 429
    // with nothing through. The upper bound from the start phase (0 successes) must not cut the guess to 0.
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 16 });
    await vt.run(vt.sleep(20));
    for (let i = 0; i < 2; i++) {
      const p = await vt.run(limiter.acquire());
      await vt.run(vt.sleep(5));
      p.release('throttled');
      await vt.run(vt.sleep(50));
    }
    assert.ok(limiter.rate >= 5, `rate ${limiter.rate} after two 429s at the start`);
  });

  it('recovers over time when no 429 follows, and 5xx or network failures never lower the rate', async () => {
    const vt = new VirtualTime();
    const limiter = new AdaptiveRateLimiter({ clock: vt.clock, sleep: vt.sleep, concurrency: 16 });
    for (let i = 0; i < 2; i++) {
      const p = await vt.run(limiter.acquire());
      p.release('throttled');
    }
    const cut = limiter.rate;
    assert.ok(cut < 20, `rate ${cut} after the 429s`);
    // Only failures for a while (a burst of 503s, accounts failing for good): the rate must not drop.
    let rate = cut;
    let calls = 0;
    const caller = async (outcome: () => 'ok' | 'failed', until: number) => {
      while (calls < until) {
        calls++;
        const x = await limiter.acquire();
        await vt.sleep(5);
        x.release(outcome());
        assert.ok(limiter.rate >= rate, `rate fell from ${rate} to ${limiter.rate}`);
        rate = limiter.rate;
      }
    };
    const t0 = vt.clock.now();
    await vt.run(Promise.all(Array.from({ length: 32 }, () => caller(() => 'failed', 10))));
    // Then healthy calls: with no 429 the rate comes back within seconds, not one success at a time.
    await vt.run(Promise.all(Array.from({ length: 32 }, () => caller(() => 'ok', 1000))));
    const elapsed = vt.clock.now() - t0;
    assert.ok(limiter.rate > 20 * cut, `rate ${limiter.rate} from ${cut}`);
    assert.ok(elapsed < 10_000, `1000 calls took ${elapsed} ms after a cut to ${cut}/s`);
  });
});
