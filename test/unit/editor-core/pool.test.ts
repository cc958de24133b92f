// Tests the fan-out pool: bounded workers, a queue that grows while they run, abort, stop, failure.
import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { test } from 'node:test';
import { WorkPool } from '../../../src/core/pool';

function deferred() {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every promise chain that can move, move. */
const settle = () => new Promise((r) => setImmediate(r));

/** A run function whose calls wait until the test ends them, one by one. */
function gated() {
  const started: number[] = [];
  const gates = new Map<number, ReturnType<typeof deferred>>();
  let running = 0;
  let maxRunning = 0;
  const run = async (item: number) => {
    started.push(item);
    running++;
    maxRunning = Math.max(maxRunning, running);
    const g = deferred();
    gates.set(item, g);
    try {
      await g.promise;
    } finally {
      running--;
    }
  };
  return { run, started, gates, max: () => maxRunning, finish: (item: number) => gates.get(item)!.resolve() };
}

test('runs every item once, in queue order, never more at once than the workers', async () => {
  const g = gated();
  const pool = new WorkPool({ workers: 3, run: g.run });
  pool.push(1, 2, 3, 4, 5, 6, 7);
  pool.close();
  await settle();
  assert.deepEqual(g.started, [1, 2, 3]);
  g.finish(2);
  await settle();
  assert.deepEqual(g.started, [1, 2, 3, 4], 'a freed worker takes the next item');
  for (const i of [1, 3, 4, 5, 6, 7]) {
    await settle();
    g.finish(i);
  }
  await pool.done;
  assert.deepEqual(g.started, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(g.max(), 3);
});

test('idle workers wait for a queue that is still growing, and end once it is closed and empty', async () => {
  const g = gated();
  const pool = new WorkPool({ workers: 2, run: g.run });
  let ended = false;
  void pool.done.then(() => (ended = true));
  await settle();
  assert.deepEqual(g.started, []);
  pool.push(1);
  await settle();
  assert.deepEqual(g.started, [1], 'a page arrived: work starts at once');
  g.finish(1);
  await settle();
  assert.equal(ended, false, 'not closed: the workers wait for more');
  pool.push(2, 3, 4);
  await settle();
  assert.deepEqual(g.started, [1, 2, 3]);
  pool.close();
  for (const i of [2, 3, 4]) {
    g.finish(i);
    await settle();
  }
  await pool.done;
  assert.deepEqual(g.started, [1, 2, 3, 4]);
});

test('abort starts nothing more, ends waiting workers, and leaves no listener on the signal', async () => {
  const g = gated();
  const ctl = new AbortController();
  const pool = new WorkPool({ workers: 2, run: g.run, signal: ctl.signal });
  assert.equal(getEventListeners(ctl.signal, 'abort').length, 1);
  pool.push(1, 2, 3, 4);
  await settle();
  ctl.abort();
  g.finish(1);
  g.finish(2);
  await pool.done; // resolves although the queue was never closed
  assert.deepEqual(g.started, [1, 2]);
  assert.equal(getEventListeners(ctl.signal, 'abort').length, 0);
  pool.push(5); // ignored once stopped
  await settle();
  assert.deepEqual(g.started, [1, 2]);

  const already = new WorkPool({ workers: 2, run: g.run, signal: AbortSignal.abort() });
  already.push(9);
  await already.done;
  assert.deepEqual(g.started, [1, 2], 'an aborted signal runs nothing');
});

test('stop() from inside a run ends the pool after the items under way', async () => {
  const seen: number[] = [];
  const pool: WorkPool<number> = new WorkPool({
    workers: 1,
    run: async (i) => {
      seen.push(i);
      if (i === 2) pool.stop();
    },
  });
  pool.push(1, 2, 3, 4);
  await pool.done;
  assert.deepEqual(seen, [1, 2]);
});

test('a run that rejects stops the pool and done rejects with the first error', async () => {
  const seen: number[] = [];
  const pool = new WorkPool({
    workers: 2,
    run: async (i: number) => {
      seen.push(i);
      await settle();
      if (i <= 2) throw new Error(`item ${i}`);
    },
  });
  pool.push(1, 2, 3, 4);
  pool.close();
  await assert.rejects(pool.done, /item 1/);
  assert.deepEqual(seen, [1, 2]);
});

test('thousands of items pushed page by page each run once, in order', async () => {
  const seen: number[] = [];
  const pool = new WorkPool({ workers: 4, run: async (i: number) => void seen.push(i) });
  for (let p = 0; p < 50; p++) {
    pool.push(...Array.from({ length: 100 }, (_, i) => p * 100 + i));
    if (p % 7 === 0) await settle();
  }
  pool.close();
  await pool.done;
  assert.deepEqual(seen, Array.from({ length: 5000 }, (_, i) => i));
});
