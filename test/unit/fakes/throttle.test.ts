// The fakes' throttle models admit what their names say, and the lower bound of each is what a perfect client achieves.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ThrottleModel, createThrottle, lowerBoundMs, throttleModel } from '../../fakes/throttle';

/** Admission times of `n` requests sent as fast as the throttle admits them, trying again every millisecond. */
function greedy(m: ThrottleModel, n: number, from = 10_000): number[] {
  const t = createThrottle(m);
  const out: number[] = [];
  for (let at = from; out.length < n; at++) while (out.length < n && t.admit(at)) out.push(at - from);
  return out;
}

describe('throttle models', () => {
  it('a token bucket admits its burst at once, then one per 1/rate', () => {
    const at = greedy({ kind: 'bucket', rate: 20, burst: 5 }, 8);
    assert.deepEqual(at, [0, 0, 0, 0, 0, 50, 100, 150]);
  });

  it('the original { rate, burst } option is a token bucket', () => {
    assert.deepEqual(throttleModel({ rate: 3, burst: 2 }), { kind: 'bucket', rate: 3, burst: 2 });
  });

  it('a fixed window admits its quota in each second counted from the first request, nothing carried over', () => {
    const t = createThrottle({ kind: 'fixedWindow', perSecond: 3 });
    const admitted = [500, 500, 500, 500, 1499, 1500, 1500, 1500, 1500, 2600].map((at) => t.admit(at));
    assert.deepEqual(admitted, [true, true, true, false, false, true, true, true, false, true]);
  });

  it('a sliding window admits its quota in any one second', () => {
    const t = createThrottle({ kind: 'slidingWindow', perSecond: 2 });
    // At 1,000 ms the request of 0 ms has left the last second; at 1,401 the one of 400.
    const admitted = [0, 400, 900, 1000, 1001, 1399, 1401].map((at) => t.admit(at));
    assert.deepEqual(admitted, [true, true, false, true, false, false, true]);
  });

  it('a halving bucket refills at half the rate after atMs from its first request, or after so many admissions', () => {
    const byTime = greedy({ kind: 'halving', rate: 10, burst: 1, atMs: 300 }, 6);
    assert.deepEqual(byTime, [0, 100, 200, 300, 500, 700]);
    const byCount = greedy({ kind: 'halving', rate: 10, burst: 1, afterRequests: 3 }, 5);
    assert.deepEqual(byCount, [0, 100, 200, 400, 600]);
    assert.throws(() => createThrottle({ kind: 'halving', rate: 10, burst: 1 }), RangeError);
  });

  it('reset starts it afresh: a full bucket, the window and the halving clock from the next request', () => {
    const t = createThrottle({ kind: 'fixedWindow', perSecond: 1 });
    assert.equal(t.admit(0), true);
    assert.equal(t.admit(700), false);
    t.reset();
    assert.equal(t.admit(800), true);
    assert.equal(t.admit(1700), false, 'the new window runs from 800 ms');
  });

  it('the lower bound is what the greedy client above achieves, plus a round trip', () => {
    const models: ThrottleModel[] = [
      { kind: 'bucket', rate: 20, burst: 20 },
      { kind: 'bucket', rate: 50, burst: 1 },
      { kind: 'fixedWindow', perSecond: 20 },
      { kind: 'slidingWindow', perSecond: 20 },
      { kind: 'halving', rate: 20, burst: 20, atMs: 2000 },
    ];
    for (const m of models) {
      const last = greedy(m, 105).pop()!;
      assert.ok(Math.abs(lowerBoundMs(m, 105) - last) <= 1, `${m.kind}: bound ${lowerBoundMs(m, 105)} ms, greedy ${last} ms`);
      assert.equal(lowerBoundMs(m, 105, 40), lowerBoundMs(m, 105) + 40);
    }
  });
});
