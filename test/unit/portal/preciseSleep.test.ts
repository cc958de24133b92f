// portal/preciseSleep: never wakes before its deadline (a timer of Node's may wake up to a millisecond early), and aborts like realSleep.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { preciseSleep } from '../../../src/core/portal/preciseSleep';

describe('preciseSleep', () => {
  it('never wakes before the time asked, fractions of a millisecond included', async () => {
    for (const ms of [0, 0.3, 1.6, 2.5, 7.25, 20.6]) {
      const t0 = performance.now();
      await preciseSleep(ms);
      assert.ok(performance.now() - t0 >= ms, `${ms} ms`);
    }
  });

  it('rejects with an AbortError when aborted, before or while waiting', async () => {
    const before = new AbortController();
    before.abort();
    await assert.rejects(preciseSleep(5, before.signal), { name: 'AbortError' });
    const during = new AbortController();
    const p = preciseSleep(60_000, during.signal);
    during.abort();
    await assert.rejects(p, { name: 'AbortError' });
  });
});
