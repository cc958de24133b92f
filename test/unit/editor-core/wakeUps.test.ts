// The wake-up counter: counts by source, and the CPU time of each wake-up until its work ends
// (a returned promise settling), on an injected CPU clock.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { FSWatcher } from 'node:fs';
import { test } from 'node:test';
import { WakeUps } from '../../../src/core/wakeUps';
import type { WatchFs } from '../../../src/core/watch';
import { FakeTimers } from '../../helpers/fakeTimers';

test('timers and file events are counted by source, with the CPU time until their work ends', async () => {
  const timers = new FakeTimers();
  let cpuUs = 0;
  const wake = new WakeUps(timers, () => cpuUs);
  let release!: () => void;
  wake.timers('status').timeout(async () => {
    cpuUs += 2_000;
    await new Promise<void>((r) => (release = r));
    cpuUs += 3_000; // the rest of the work, after the await
  }, 10);
  wake.timers('tree').interval(() => void (cpuUs += 500), 100);
  const ticking = timers.advance(10);
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(wake.snapshot(), { status: 1 });
  release();
  await ticking;
  await timers.advance(290);
  assert.deepEqual(wake.snapshot(), { status: 1, tree: 3 });
  assert.deepEqual(wake.cpuMs(), { status: 5, tree: 1.5 });

  let deliver!: (event: string, filename: string | null) => void;
  const inner: WatchFs = (_dir, _opts, listener) => {
    deliver = listener;
    return new EventEmitter() as unknown as FSWatcher;
  };
  const seen: (string | null)[] = [];
  wake.watchFs('tokens.fs', inner)('/x', { persistent: false }, (_e, f) => seen.push(f));
  deliver('rename', 'a.json');
  assert.deepEqual(seen, ['a.json']);
  assert.equal(wake.snapshot()['tokens.fs'], 1);
  wake.note('focus');
  assert.equal(wake.snapshot().focus, 1);
});

test('a callback that throws is counted and its error goes on to the caller', () => {
  let run!: () => unknown;
  const base = { timeout: (fn: () => unknown) => ((run = fn), { dispose() {} }), interval: () => ({ dispose() {} }) };
  const w2 = new WakeUps(base, () => 0);
  w2.timers('boom').timeout(() => {
    throw new Error('bug');
  }, 1);
  assert.throws(() => run(), /bug/);
  assert.deepEqual(w2.snapshot(), { boom: 1 });
  assert.deepEqual(w2.cpuMs(), { boom: 0 });
});
