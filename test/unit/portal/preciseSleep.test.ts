// portal/preciseSleep on an injected clock: never wakes before its deadline although the coarse timer wakes up to a millisecond early, and aborts like realSleep.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { abortError, Sleep } from '../../../src/core/ports';
import { makePreciseSleep } from '../../../src/core/portal/preciseSleep';

/** A clock that only the parts move: the coarse sleep wakes `early` ms before it was asked to, each turn takes 0.05 ms. */
function fakeParts(early: number) {
  let t = 1000;
  const coarse: number[] = [];
  let turns = 0;
  const sleep: Sleep = (ms, signal) => {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    coarse.push(ms);
    t += Math.max(0, ms - early);
    return Promise.resolve();
  };
  return {
    parts: { now: () => t, sleep, turn: (fn: () => void) => ((turns++, (t += 0.05)), queueMicrotask(fn)) },
    now: () => t,
    coarse,
    turns: () => turns,
  };
}

describe('preciseSleep', () => {
  it('never wakes before the time asked, fractions of a millisecond included, however early the coarse timer wakes', async () => {
    for (const early of [0, 0.4, 0.99]) {
      for (const ms of [0, 0.3, 1.6, 2.5, 7.25, 20.6]) {
        const f = fakeParts(early);
        const start = f.now();
        await makePreciseSleep(f.parts)(ms);
        assert.ok(f.now() - start >= ms, `${ms} ms, coarse timer ${early} ms early: woke after ${f.now() - start}`);
        // Within a turn of the deadline: the turns fill at most the timer's grain.
        assert.ok(f.now() - start < ms + 0.05 + 1e-9, `${ms} ms: woke ${f.now() - start - ms} ms late`);
        assert.deepEqual(f.coarse, ms > 1 ? [ms - 1] : [], 'one coarse sleep to within a millisecond');
        assert.ok(f.turns() <= Math.ceil((Math.min(ms, 1) + early) / 0.05) + 1, `${f.turns()} turns`);
      }
    }
  });

  it('rejects with an AbortError when aborted, before or while turning', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(makePreciseSleep(fakeParts(0).parts)(5, before.signal), { name: 'AbortError' });
    const f = fakeParts(0.9);
    const during = new AbortController();
    let turns = 0;
    const p = makePreciseSleep({ ...f.parts, turn: (fn) => (++turns === 3 && during.abort(), f.parts.turn(fn)) })(5, during.signal);
    await assert.rejects(p, { name: 'AbortError' });
    assert.equal(turns, 3);
  });
});
