// Tests of the rate limiter's pure estimator with plain numbers: no queue, no timers, time passed in by hand.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PermitOutcome, RateEstimator, SentRequest } from '../../../src/core/portal/rateEstimator';

const SHARE = 0.97;

function estimator(o: { initialRate?: number; maxInFlight?: number } = {}): RateEstimator {
  return new RateEstimator({ initialRate: o.initialRate ?? 1000, minRate: 1, maxRate: 1000, share: SHARE, maxInFlight: o.maxInFlight ?? 8, now: 0 });
}

/** Reports one request back, in the order the queue does. */
function back(e: RateEstimator, s: SentRequest, outcome: PermitOutcome, at: number, rateHoldsBack = false): boolean {
  e.released(s, outcome, at);
  if (outcome === 'ok') e.succeeded(at, rateHoldsBack);
  const cut = outcome === 'throttled' && e.throttled(s, at);
  e.settle();
  return cut;
}

/** Leaves the start phase with long round trips: a first 429 whose in-flight neighbours measure nothing, then a success. */
function tracking(): RateEstimator {
  const e = estimator();
  const s = e.sent(0);
  back(e, s, 'throttled', 5);
  assert.equal(e.holdUntil(5), undefined, 'nothing else in flight: no reason to hold');
  e.endBraking(5);
  assert.equal(e.phase, 'tracking');
  assert.equal(e.inFlightCap(), 1, 'nothing got through since the 429: one request at a time');
  back(e, e.sent(5), 'ok', 6);
  return e;
}

describe('RateEstimator', () => {
  it('caps requests in flight while spending the burst by the round trip, and not after', () => {
    const e = estimator({ maxInFlight: 8 });
    assert.equal(e.inFlightCap(), 8, 'no round trip known yet');
    back(e, e.sent(0), 'ok', 4);
    assert.equal(e.inFlightCap(), 2, 'a 4 ms round trip: a couple of requests already outrun any plausible server');
    const f = estimator({ maxInFlight: 8 });
    back(f, f.sent(0), 'ok', 60);
    assert.ok(f.inFlightCap() > 2 && f.inFlightCap() < 8, `60 ms round trips: ${f.inFlightCap()} in flight`);
    const g = estimator({ maxInFlight: 8 });
    back(g, g.sent(0), 'ok', 400);
    assert.equal(g.inFlightCap(), 8, 'long round trips: the concurrency bounds it');
    assert.equal(tracking().inFlightCap(), 8);
  });

  it('does not pin the rate to the floor when the very first request is throttled', () => {
    const e = tracking();
    assert.ok(e.rate >= 5 && e.rate <= 20, `rate ${e.rate} after a 429 with nothing through`);
    assert.equal(e.estimate, undefined);
  });

  it('takes a first figure from the requests in flight around the first 429, and paces below it', () => {
    const e = estimator();
    const s = Array.from({ length: 10 }, () => e.sent(0));
    for (let i = 0; i < 5; i++) back(e, s[i], 'ok', 100);
    assert.equal(back(e, s[5], 'throttled', 100), true);
    assert.equal(e.phase, 'braking');
    assert.ok(e.holdUntil(100)! > 100, 'requests still in flight: hold');
    // They reached the server (halfway through their round trips) at 55, 60 and 65 ms, between 429s at 50 and 70 ms.
    back(e, s[6], 'ok', 110);
    back(e, s[7], 'ok', 120);
    back(e, s[8], 'ok', 130);
    assert.equal(back(e, s[9], 'throttled', 140), false, 'sent before the cut: the same overload');
    assert.equal(e.holdUntil(140), undefined, 'all back');
    assert.equal(e.endBraking(140), 1, 'one request may go at once');
    const measured = (3 * 1000) / 20;
    assert.equal(e.phase, 'tracking');
    assert.ok(e.rate < measured && e.rate >= measured / 2, `rate ${e.rate} from a coarse ${measured}/s`);
    assert.equal(e.estimate, undefined, 'three successes are not a trusted window');
  });

  it('with short round trips, pauses, probes, and measures between the first 429 and the probe’s', () => {
    const e = estimator();
    // Back to back, 2 ms round trips: 9 get through, the 10th finds the server's bucket empty.
    const s = Array.from({ length: 10 }, (_, i) => e.sent(i));
    for (let i = 0; i < 9; i++) back(e, s[i], 'ok', i + 2);
    assert.equal(e.inFlightCap(), 2);
    back(e, s[9], 'throttled', 11);
    assert.equal(e.phase, 'braking');
    const pauseEnd = e.holdUntil(11);
    assert.ok(pauseEnd !== undefined && pauseEnd > 11, 'nothing in flight, yet it pauses so that the server refills a little');
    assert.equal(e.endBraking(pauseEnd), 1);
    assert.equal(e.phase, 'start', 'probing');
    assert.ok(e.rate < 900, `probes at ${e.rate}/s, below the ~900/s the burst went at`);

    // The probe: five successes, then a 429 (every 2 ms, each 2 ms long).
    const p = Array.from({ length: 6 }, (_, i) => e.sent(pauseEnd + 2 * i));
    for (let i = 0; i < 5; i++) back(e, p[i], 'ok', pauseEnd + 2 * i + 2);
    assert.equal(back(e, p[5], 'throttled', pauseEnd + 12), true);
    const end = pauseEnd + 12;
    assert.equal(e.holdUntil(end), undefined);
    assert.equal(e.endBraking(end), 0, 'the probe just emptied the server’s bucket');
    // Server-side moments: the first 429 at (9 + 11) / 2, the probe's at its midpoint; five successes between.
    const measured = (5 * 1000) / (pauseEnd + 11 - 10);
    assert.equal(e.phase, 'tracking');
    assert.ok(e.rate < measured && e.rate >= measured / 2, `rate ${e.rate} from a probe measuring ${measured.toFixed(1)}/s`);
  });

  it('trusts a window of enough successes between two 429s, and paces at its share of it', () => {
    const e = tracking();
    // A paced 429 opens the window ...
    const a = e.sent(1000);
    assert.equal(back(e, a, 'throttled', 1050), true);
    // ... 40 successes are sent inside it ...
    for (let i = 0; i < 40; i++) back(e, e.sent(1100 + 50 * i), 'ok', 1150 + 50 * i);
    assert.equal(e.estimate, undefined);
    // ... and the next 429 closes it: 40 admitted in 2,000 ms.
    const b = e.sent(3000);
    assert.equal(back(e, b, 'throttled', 3050), true);
    assert.equal(e.estimate, 20);
    assert.equal(e.rate, 20 * SHARE);
    // Once trusted, every fresh overload paces at the share of the estimate again.
    const c = e.sent(4000);
    assert.equal(back(e, c, 'throttled', 4050), true);
    assert.equal(e.rate, 20 * SHARE);
  });

  it('counts 429s of requests sent before a cut as the same overload', () => {
    const e = tracking();
    const before = [e.sent(100), e.sent(101), e.sent(102)];
    assert.equal(back(e, before[0], 'throttled', 150), true);
    const cut = e.rate;
    assert.equal(back(e, before[1], 'throttled', 151), false);
    assert.equal(back(e, before[2], 'throttled', 152), false);
    assert.equal(e.rate, cut);
    const after = e.sent(200);
    assert.equal(back(e, after, 'throttled', 250), true, 'sent after the cut: a new overload');
  });

  it('grows only while the rate holds demand back, and failures never lower it', () => {
    const e = tracking();
    const r0 = e.rate;
    back(e, e.sent(100), 'ok', 150, false);
    back(e, e.sent(150), 'failed', 200, true);
    assert.equal(e.rate, r0, 'not held back by the rate, or a failure: no change');
    back(e, e.sent(200), 'ok', 250, true);
    assert.ok(e.rate > r0, `rate ${e.rate} did not grow from ${r0}`);
  });

  it('recovers a stale cut over time once no 429 has come for a while', () => {
    const e = tracking(); // last 429 at 5 ms
    const r0 = e.rate;
    e.heldBack(100, 400);
    assert.equal(e.rate, r0, 'too soon after the 429');
    e.heldBack(1000, 5000);
    assert.ok(e.rate >= 1.5 * r0, `rate ${e.rate} from ${r0} after seconds held back by the rate alone`);
  });

  it('spends the server’s burst again after a long idle, not after a short one', () => {
    const e = tracking(); // last active at 5 ms
    e.demandResumes(1000, true, 0);
    assert.equal(e.phase, 'tracking');
    e.demandResumes(60_000, true, 1);
    assert.equal(e.phase, 'tracking', 'a request is still out');
    e.demandResumes(60_000, true, 0);
    assert.equal(e.phase, 'start');
    assert.equal(e.rate, 1000);
  });

  it('waits for a server that stays closed after an overload, one request at a time and longer each time, without cutting further', () => {
    const e = tracking();
    const a = e.sent(100);
    assert.equal(back(e, a, 'throttled', 102), true, 'an overload');
    const cut = e.rate;
    // Nothing sent after the cut gets through (a window's quota is spent): each 429 holds sending.
    let at = 102;
    let hold = 0;
    for (let i = 0; i < 4; i++) {
      const t = e.holdUntil(at) ?? at;
      const r = e.sent(t);
      back(e, r, 'throttled', t + 2);
      assert.equal(e.inFlightCap(), 1);
      const until = e.holdUntil(t + 2);
      assert.ok(until !== undefined && until - (t + 2) > hold, `hold ${i} ${until === undefined ? 'none' : until - (t + 2)} ms after ${hold} ms`);
      hold = until - (t + 2);
      at = t + 2;
      assert.equal(e.rate, cut, 'a closed server is waited for, not cut for');
    }
    // It opens again: the in-flight cap returns.
    const t = e.holdUntil(at)!;
    back(e, e.sent(t), 'ok', t + 2);
    assert.ok(e.inFlightCap() > 1);
  });

  it('reads a window throttle from the start: its quota over the time until it opened again', () => {
    const e = estimator();
    // 20 get through back to back, then the window is closed until 1,000 ms.
    const s = Array.from({ length: 22 }, (_, i) => e.sent(i));
    for (let i = 0; i < 20; i++) back(e, s[i], 'ok', i + 2);
    back(e, s[20], 'throttled', 22);
    back(e, s[21], 'throttled', 23);
    let at = e.holdUntil(23) ?? 23;
    if (e.phase === 'braking') e.endBraking(at);
    // Probe one request at a time until it opens.
    let probes = 0;
    for (;;) {
      at = e.holdUntil(at) ?? at;
      const r = e.sent(at);
      if (at < 1000) {
        back(e, r, 'throttled', at + 2);
        probes++;
        at += 2;
        if (e.phase === 'braking') e.endBraking(at);
        continue;
      }
      back(e, r, 'ok', at + 2);
      break;
    }
    assert.ok(probes <= 4, `${probes} probes of a closed server`);
    assert.equal(e.phase, 'tracking');
    assert.ok(e.rate > 20 * 0.6 && e.rate <= 20, `rate ${e.rate.toFixed(1)} for a window of 20 a second`);
  });

  it('measures a saturated window: what got through while we sent more is the rate, however high the 429s came', () => {
    const e = tracking();
    // Learn 40/s first: two clean windows between overloads.
    let t = 100;
    for (let w = 0; w < 2; w++) {
      back(e, e.sent(t), 'throttled', t + 2);
      for (let i = 0; i < 40; i++) back(e, e.sent((t += 25)), 'ok', t + 2);
      t += 25;
    }
    back(e, e.sent(t), 'throttled', t + 2);
    assert.ok(Math.abs(e.estimate! - 40) < 2, `estimate ${e.estimate}`);
    // The server halves to 20/s; we keep sending every 25 ms and every other request is throttled.
    for (let i = 0; i < 40; i++) {
      t += 25;
      back(e, e.sent(t), i % 2 === 0 ? 'ok' : 'throttled', t + 2);
    }
    assert.ok(e.rate < 21 && e.rate > 15, `rate ${e.rate.toFixed(1)} after the server halved to 20/s`);
  });

  it('against a server that holds no burst, spaces the next request from when a late one probably arrived', () => {
    const e = estimator();
    // One gets through, the next right behind it does not: no burst.
    const s = [e.sent(0), e.sent(0.5)];
    back(e, s[0], 'ok', 2);
    back(e, s[1], 'throttled', 2.5);
    let at = e.holdUntil(2.5) ?? 2.5;
    if (e.phase === 'braking') e.endBraking(at);
    for (;;) {
      at = e.holdUntil(at) ?? at;
      const r = e.sent(at);
      const ok = at >= 20;
      back(e, r, ok ? 'ok' : 'throttled', at + 2);
      at += 2;
      if (e.phase === 'braking') e.endBraking(at);
      if (ok) break;
    }
    assert.equal(e.phase, 'tracking');
    const fast = e.sent(100);
    e.released(fast, 'ok', 102);
    assert.equal(e.lateness(fast), 0, 'a usual round trip');
    const slow = e.sent(150);
    e.released(slow, 'ok', 160);
    assert.ok(Math.abs(e.lateness(slow) - 8) < 0.5, `lateness ${e.lateness(slow)} of a round trip 8 ms over the fastest`);
    const next = e.sent(170);
    e.released(next, 'ok', 180);
    const after = e.sent(171);
    assert.equal(e.lateness(next), 0, 'something was sent after it: too late to space that one');
    void after;
  });

  it('counts the start from its first request, not from when it was made (the SDK may load in between)', () => {
    // The same burst of 20 in 20 ms, once right after creation and once 250 ms later: the same pause follows.
    const pauses = [0, 250].map((t0) => {
      const e = estimator();
      const s = Array.from({ length: 21 }, (_, i) => e.sent(t0 + i));
      for (let i = 0; i < 20; i++) back(e, s[i], 'ok', t0 + i + 2);
      back(e, s[20], 'throttled', t0 + 22);
      return e.holdUntil(t0 + 22)! - (t0 + 22);
    });
    assert.ok(pauses[0] > 100, `pause ${pauses[0]} ms: long enough for the server to refill some of 20`);
    assert.ok(Math.abs(pauses[1] - pauses[0]) < 1e-6, `pause ${pauses[1]} ms when the first request came 250 ms after creation, ${pauses[0]} ms right after`);
  });
});
