// Tests the token-cache watcher: fs.watch and poll, debounce, and a dispose that leaves nothing.
// Time is fake (the poll and the debounce run when a test moves it on); the only thing awaited
// from the system is fs.watch's own event, where that is what a test is about.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { FSWatcher, watch } from 'node:fs';
import { mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchTokenCache, WatchFs } from '../../../src/core/watch';
import { FakeTimers } from '../../helpers/fakeTimers';
import { tempHome } from '../../helpers/tempHome';

function counter() {
  const c = { n: 0, fn: () => void c.n++ };
  return c;
}

const TOKEN = JSON.stringify({ startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', accessToken: 'a', expiresAt: '2026-01-01T00:00:00Z' });

function handles(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of process.getActiveResourcesInfo()) out[r] = (out[r] ?? 0) + 1;
  return out;
}

/** The real fs.watch, telling the test when a watcher starts and when an event arrives. */
function spiedFsWatch() {
  const started: string[] = [];
  let waiters: (() => void)[] = [];
  const watchFs: WatchFs = (dir, opts, listener) => {
    started.push(dir);
    return watch(dir, opts, (event, filename) => {
      listener(event, filename);
      const w = waiters;
      waiters = [];
      for (const f of w) f();
    });
  };
  /** Resolves at the next event fs.watch delivers. */
  const nextEvent = () => new Promise<void>((r) => waiters.push(r));
  return { watchFs, started, nextEvent };
}

/** A stand-in for fs.watch whose events the test fires itself. */
function fakeFsWatch() {
  const watchers: { listener: (event: string, filename: string | null) => void; closed: boolean }[] = [];
  const watchFs: WatchFs = (_dir, _opts, listener) => {
    const w = { listener, closed: false };
    watchers.push(w);
    const e = new EventEmitter() as EventEmitter & { close(): void };
    e.close = () => void (w.closed = true);
    return e as unknown as FSWatcher;
  };
  const live = () => watchers.filter((w) => !w.closed);
  return { watchFs, watchers, live, emit: () => live().forEach((w) => w.listener('change', null)) };
}

test('fs.watch: a login in a terminal is noticed at once (the poll is far away)', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = spiedFsWatch();
  const w = watchTokenCache(dir, c.fn, { pollMs: 60_000, debounceMs: 20, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready; // the first look sets the baseline and starts the watcher
  assert.deepEqual(fsw.started, [dir]);
  const event = fsw.nextEvent();
  await writeFile(join(dir, 'abc.json'), TOKEN);
  await event;
  assert.equal(c.n, 0, 'debounced');
  await timers.advance(20);
  assert.equal(c.n, 1, 'reported after the debounce, long before the first poll');
});

test('the poll alone sees files added, rewritten in place with the same size, and removed', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'old.json'), TOKEN);
  const c = counter();
  const timers = new FakeTimers();
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10, useFsWatch: false, timers });
  t.after(() => w.dispose());
  await w.ready;
  await timers.advance(200);
  assert.equal(c.n, 0, 'nothing changed, nothing reported');

  await writeFile(join(dir, 'new.json'), TOKEN); // aws sso login
  await timers.advance(50);
  assert.equal(c.n, 1);
  // A refresh writes in place: same size, and an mtime set apart explicitly (file systems keep
  // mtimes at different resolutions; the poll must not depend on one).
  await writeFile(join(dir, 'new.json'), TOKEN.replace('"a"', '"b"'));
  await utimes(join(dir, 'new.json'), new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 0, 1)));
  await timers.advance(50);
  assert.equal(c.n, 2);
  await rm(join(dir, 'new.json')); // aws sso logout
  await timers.advance(50);
  assert.equal(c.n, 3);
  await timers.advance(1000);
  assert.equal(c.n, 3, 'each change reported once');
});

test('a folder that does not exist yet (nor its parents): created later, then watched', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = join(home.dir, 'no', 'such', 'sso', 'cache');
  const c = counter();
  const errors: unknown[] = [];
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10, timers, watchFs: fsw.watchFs, onError: (e) => errors.push(e) });
  t.after(() => w.dispose());
  await w.ready;
  await timers.advance(120);
  assert.equal(c.n, 0);
  assert.equal(fsw.watchers.length, 0, 'nothing to watch yet');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await timers.advance(50);
  assert.equal(c.n, 1);
  assert.equal(fsw.live().length, 1, 'the poll noticed the folder and started fs.watch on it');
  assert.deepEqual(errors, []);
});

test('a folder deleted and re-created is followed again, with a new watcher', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  assert.equal(fsw.live().length, 1);
  await rm(dir, { recursive: true });
  await timers.advance(50);
  assert.equal(c.n, 1, 'the folder going is a change');
  assert.equal(fsw.live().length, 0, 'the old watcher is closed');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await timers.advance(50);
  assert.equal(c.n, 2);
  assert.equal(fsw.watchers.length, 2);
  assert.equal(fsw.live().length, 1, 'a new watcher on the new folder');
});

test('a burst of events is one call', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { pollMs: 60_000, debounceMs: 150, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  for (let i = 0; i < 5; i++) {
    await writeFile(join(dir, `f${i}.json`), TOKEN);
    fsw.emit();
    await timers.advance(100); // each event inside the quiet time of the one before
  }
  assert.equal(c.n, 0);
  await timers.advance(50);
  assert.equal(c.n, 1);
  await timers.advance(10_000);
  assert.equal(c.n, 1);
});

test('dispose stops every timer and watcher; no call after it, not even one already debounced', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { pollMs: 30, debounceMs: 50, timers, watchFs: fsw.watchFs });
  await w.ready;
  assert.equal(fsw.live().length, 1);
  await writeFile(join(dir, 'x.json'), TOKEN);
  fsw.emit(); // debounced when dispose comes
  w.dispose();
  w.dispose(); // twice is harmless
  assert.equal(timers.pending, 0, 'timers cleared');
  assert.equal(fsw.live().length, 0, 'watcher closed');
  for (const x of fsw.watchers) x.listener('change', null); // a late event from the closed watcher
  await writeFile(join(dir, 'y.json'), TOKEN);
  await timers.advance(10_000);
  assert.equal(c.n, 0);
});

test('real timers and fs.watch: kept alive only when asked, and dispose releases both', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const before = handles();

  const w1 = watchTokenCache(dir, () => undefined, { pollMs: 30 });
  await w1.ready;
  const quiet = handles();
  assert.equal(quiet.Timeout ?? 0, before.Timeout ?? 0, 'by default the timers do not hold the process');
  assert.equal(quiet.FSEventWrap ?? 0, before.FSEventWrap ?? 0, 'nor does the watcher');
  w1.dispose();

  const w2 = watchTokenCache(dir, () => undefined, { pollMs: 30, keepAlive: true });
  await w2.ready;
  const during = handles();
  assert.equal(during.FSEventWrap ?? 0, (before.FSEventWrap ?? 0) + 1, 'a watcher while running');
  assert.ok((during.Timeout ?? 0) > (before.Timeout ?? 0), 'a timer while running');
  w2.dispose();
  // libuv frees a closed handle in the close phase of a later turn of the event loop: a few
  // turns, not a wall-clock wait.
  for (let turn = 0; turn < 5 && (handles().FSEventWrap ?? 0) !== (before.FSEventWrap ?? 0); turn++) await new Promise((r) => setImmediate(r));
  const after = handles();
  assert.equal(after.FSEventWrap ?? 0, before.FSEventWrap ?? 0, 'watcher closed');
  assert.equal(after.Timeout ?? 0, before.Timeout ?? 0, 'timers cleared');
});

test('never throws: a callback that throws, a file where the folder should be, a bad path', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const errors: unknown[] = [];
  let calls = 0;
  const timers = new FakeTimers();
  const w = watchTokenCache(
    dir,
    () => {
      calls++;
      throw new Error('callback bug');
    },
    { pollMs: 30, debounceMs: 10, useFsWatch: false, timers, onError: (e) => errors.push(e) },
  );
  t.after(() => w.dispose());
  await w.ready;
  await writeFile(join(dir, 'a.json'), TOKEN);
  await timers.advance(40);
  assert.equal(calls, 1);
  await writeFile(join(dir, 'b.json'), TOKEN);
  await timers.advance(40);
  assert.equal(calls, 2, 'still watching after the callback threw');
  assert.ok(errors.some((e) => e instanceof Error && e.message === 'callback bug'));

  const file = join(home.dir, 'a-file');
  await writeFile(file, 'x');
  const w2 = watchTokenCache(file, () => undefined, { pollMs: 20, timers });
  const w3 = watchTokenCache('bad\0path', () => undefined, { pollMs: 20, timers });
  await Promise.all([w2.ready, w3.ready]);
  await timers.advance(60);
  w2.dispose();
  w3.dispose();
});
