// Tests the token-cache watcher: events only (no polling), a folder that appears later or is
// deleted and re-created, the focus re-check, the slow poll when fs.watch cannot be used at all,
// debounce, and a dispose that leaves nothing. Time is fake (the debounce and the fallback poll run
// when a test moves it on); the only thing awaited from the system is fs.watch's own event, where
// that is what a test is about.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { FSWatcher, watch } from 'node:fs';
import { mkdir, rename, rm, utimes, writeFile } from 'node:fs/promises';
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

/** A stand-in for fs.watch whose events the test fires itself; `fail` makes watching throw. */
function fakeFsWatch() {
  const watchers: { dir: string; listener: (event: string, filename: string | null) => void; closed: boolean; emitter: EventEmitter }[] = [];
  const ctl = { fail: undefined as NodeJS.ErrnoException | undefined, attempts: 0 };
  const watchFs: WatchFs = (dir, _opts, listener) => {
    ctl.attempts++;
    if (ctl.fail) throw ctl.fail;
    const e = new EventEmitter() as EventEmitter & { close(): void };
    const w = { dir, listener, closed: false, emitter: e };
    e.close = () => void (w.closed = true);
    watchers.push(w);
    return e as unknown as FSWatcher;
  };
  const live = () => watchers.filter((w) => !w.closed);
  return {
    watchFs,
    watchers,
    live,
    ctl,
    /** What is watched now. */
    at: () => live().map((w) => w.dir),
    /** An event from every live watcher, as the kernel would deliver it. */
    emit: (filename: string | null = null, event = 'rename') => live().forEach((w) => w.listener(event, filename)),
  };
}

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`watch failed: ${code}`), { code });
}

test('fs.watch: a login in a terminal is noticed at once', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = spiedFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 20, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready; // the first look sets the baseline and starts the watcher
  assert.deepEqual(fsw.started, [dir]);
  const event = fsw.nextEvent();
  await writeFile(join(dir, 'abc.json'), TOKEN);
  await event;
  assert.equal(c.n, 0, 'debounced');
  await timers.advance(20);
  assert.equal(c.n, 1, 'reported after the debounce');
});

test('no polling: while nothing changes, no timer is set and nothing runs, for hours', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  assert.equal(timers.pending, 0, 'no timer while idle');
  await timers.advance(3 * 3_600_000);
  assert.equal(c.n, 0);
  assert.equal(fsw.ctl.attempts, 1, 'fs.watch started once');
});

test('a folder that does not exist yet (nor its parents): the nearest ancestor is watched, then each element as it appears', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = join(home.dir, 'no', 'such', 'sso', 'cache');
  const c = counter();
  const errors: unknown[] = [];
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 10, timers, watchFs: fsw.watchFs, onError: (e) => errors.push(e) });
  t.after(() => w.dispose());
  await w.ready;
  assert.deepEqual(fsw.at(), [home.dir], 'the nearest existing ancestor');
  assert.equal(timers.pending, 0, 'and no poll');

  // A busy home folder: what happens to other names there wakes nothing.
  fsw.emit('.bash_history', 'change');
  assert.equal(timers.pending, 0, 'an unrelated name is ignored without a timer');

  await mkdir(join(home.dir, 'no'));
  fsw.emit('no');
  await timers.advance(10);
  assert.deepEqual(fsw.at(), [join(home.dir, 'no')], 'moved down one element');

  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  fsw.emit('such');
  await timers.advance(10);
  assert.deepEqual(fsw.at(), [dir], 'moved down to the folder itself');
  assert.equal(c.n, 1, 'the folder appearing (with a token in it) is a change');
  assert.equal(fsw.live().length, 1, 'one watcher at a time');

  await writeFile(join(dir, 'tok2.json'), TOKEN);
  fsw.emit('tok2.json');
  await timers.advance(10);
  assert.equal(c.n, 2);
  assert.deepEqual(errors, []);
});

test('real fs.watch: `mkdir -p` of the whole path and a token written are noticed from events alone', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir; // ~/.aws/sso/cache, ~/.aws missing too
  const c = counter();
  const timers = new FakeTimers();
  const fsw = spiedFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 10, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  assert.deepEqual(fsw.started, [home.dir]);
  const event = fsw.nextEvent();
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await event;
  await timers.advance(10);
  assert.equal(fsw.started.at(-1), dir, 'watching the folder now');
  assert.equal(c.n, 1);
  const next = fsw.nextEvent();
  await rm(join(dir, 'tok.json')); // aws sso logout
  await next;
  await timers.advance(10);
  assert.equal(c.n, 2);
});

test('a folder deleted and re-created is followed again, with a new watcher', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 10, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  assert.deepEqual(fsw.at(), [dir]);
  await rm(dir, { recursive: true });
  fsw.emit('cache'); // the watched folder's own event: it is gone
  await timers.advance(10);
  assert.equal(c.n, 1, 'the folder going is a change');
  assert.deepEqual(fsw.at(), [join(dir, '..')], 'the parent is watched for it to come back');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  fsw.emit('cache');
  await timers.advance(10);
  assert.equal(c.n, 2);
  assert.deepEqual(fsw.at(), [dir], 'a new watcher on the new folder');
  assert.equal(fsw.watchers.length, 3);
});

test('deleted and re-created between two looks (a new inode at the same path): a new watcher all the same', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 10, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  const first = fsw.live()[0];
  // Renamed away (the old watcher follows the old folder) and a new one made in its place.
  await rename(dir, `${dir}.old`);
  await mkdir(dir);
  first.listener('rename', 'cache');
  await timers.advance(10);
  assert.equal(c.n, 1);
  assert.equal(first.closed, true, 'the watcher of the old folder is closed');
  assert.deepEqual(fsw.at(), [dir]);
  assert.notEqual(fsw.live()[0], first);
});

test('check() (the editor regaining focus) finds what no event told, and moves the watcher', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  await w.check();
  assert.equal(c.n, 0, 'nothing changed, nothing told');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN); // and the file system said nothing
  await w.check();
  assert.equal(c.n, 1);
  assert.deepEqual(fsw.at(), [dir]);
  await w.check();
  assert.equal(c.n, 1, 'told once');
});

test('fs.watch unusable (ENOSPC: no inotify watches left): a slow poll instead, told once; back to events when watching works again', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'old.json'), TOKEN);
  const c = counter();
  const fallbacks: unknown[] = [];
  const errors: unknown[] = [];
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  fsw.ctl.fail = errno('ENOSPC');
  const w = watchTokenCache(dir, c.fn, { fallbackPollMs: 40, debounceMs: 10, timers, watchFs: fsw.watchFs, onFallback: (e) => fallbacks.push(e), onError: (e) => errors.push(e) });
  t.after(() => w.dispose());
  await w.ready;
  assert.equal(fallbacks.length, 1);
  assert.equal((fallbacks[0] as NodeJS.ErrnoException).code, 'ENOSPC');
  await timers.advance(200);
  assert.equal(c.n, 0, 'nothing changed, nothing reported');

  await writeFile(join(dir, 'new.json'), TOKEN); // aws sso login
  await timers.advance(40);
  assert.equal(c.n, 1);
  // A refresh writes in place: same size, and an mtime set apart explicitly (file systems keep
  // mtimes at different resolutions; the poll must not depend on one).
  await writeFile(join(dir, 'new.json'), TOKEN.replace('"a"', '"b"'));
  await utimes(join(dir, 'new.json'), new Date(Date.UTC(2030, 0, 1)), new Date(Date.UTC(2030, 0, 1)));
  await timers.advance(40);
  assert.equal(c.n, 2);
  await rm(join(dir, 'new.json')); // aws sso logout
  await timers.advance(40);
  assert.equal(c.n, 3);
  await timers.advance(1000);
  assert.equal(c.n, 3, 'each change reported once');
  assert.equal(fallbacks.length, 1, 'told once, however many polls failed to watch again');
  assert.deepEqual(errors, []);

  fsw.ctl.fail = undefined; // watches freed elsewhere
  await timers.advance(40);
  assert.deepEqual(fsw.at(), [dir], 'watching again');
  assert.equal(timers.pending, 0, 'and the poll stopped');
});

test('an unsupported file system (watch throws EINVAL on the ancestor too): the poll notices the folder appearing', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  const c = counter();
  const fallbacks: unknown[] = [];
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  fsw.ctl.fail = errno('EINVAL');
  const w = watchTokenCache(dir, c.fn, { fallbackPollMs: 40, debounceMs: 10, timers, watchFs: fsw.watchFs, onFallback: (e) => fallbacks.push(e) });
  t.after(() => w.dispose());
  await w.ready;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await timers.advance(40);
  assert.equal(c.n, 1);
  assert.equal(fallbacks.length, 1);
});

test('a watcher error (the platform drops the watch): watched again at once, no poll', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const errors: unknown[] = [];
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, () => undefined, { debounceMs: 10, timers, watchFs: fsw.watchFs, onError: (e) => errors.push(e) });
  t.after(() => w.dispose());
  await w.ready;
  const first = fsw.live()[0];
  first.emitter.emit('error', errno('EPERM'));
  await timers.advance(10);
  assert.equal(first.closed, true);
  assert.deepEqual(fsw.at(), [dir], 'a new watcher');
  assert.equal(errors.length, 1);
  assert.equal(timers.pending, 0);
});

test('a burst of events is one call', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const timers = new FakeTimers();
  const fsw = fakeFsWatch();
  const w = watchTokenCache(dir, c.fn, { debounceMs: 150, timers, watchFs: fsw.watchFs });
  t.after(() => w.dispose());
  await w.ready;
  for (let i = 0; i < 5; i++) {
    await writeFile(join(dir, `f${i}.json`), TOKEN);
    fsw.emit(`f${i}.json`);
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
  const w = watchTokenCache(dir, c.fn, { debounceMs: 50, timers, watchFs: fsw.watchFs });
  await w.ready;
  assert.equal(fsw.live().length, 1);
  await writeFile(join(dir, 'x.json'), TOKEN);
  fsw.emit('x.json'); // debounced when dispose comes
  w.dispose();
  w.dispose(); // twice is harmless
  assert.equal(timers.pending, 0, 'timers cleared');
  assert.equal(fsw.live().length, 0, 'watcher closed');
  for (const x of fsw.watchers) x.listener('rename', 'y.json'); // a late event from the closed watcher
  await writeFile(join(dir, 'y.json'), TOKEN);
  await w.check();
  await timers.advance(10_000);
  assert.equal(c.n, 0);
});

test('real timers and fs.watch: no timer at all while idle, the watcher kept alive only when asked, and dispose releases it', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const before = handles();

  const w1 = watchTokenCache(dir, () => undefined);
  await w1.ready;
  const quiet = handles();
  assert.equal(quiet.FSEventWrap ?? 0, before.FSEventWrap ?? 0, 'by default the watcher does not hold the process');
  w1.dispose();

  const w2 = watchTokenCache(dir, () => undefined, { keepAlive: true });
  await w2.ready;
  const during = handles();
  assert.equal(during.FSEventWrap ?? 0, (before.FSEventWrap ?? 0) + 1, 'a watcher while running');
  assert.equal(during.Timeout ?? 0, before.Timeout ?? 0, 'and no timer');
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
  const fsw = fakeFsWatch();
  const w = watchTokenCache(
    dir,
    () => {
      calls++;
      throw new Error('callback bug');
    },
    { debounceMs: 10, timers, watchFs: fsw.watchFs, onError: (e) => errors.push(e) },
  );
  t.after(() => w.dispose());
  await w.ready;
  await writeFile(join(dir, 'a.json'), TOKEN);
  fsw.emit('a.json');
  await timers.advance(10);
  assert.equal(calls, 1);
  await writeFile(join(dir, 'b.json'), TOKEN);
  fsw.emit('b.json');
  await timers.advance(10);
  assert.equal(calls, 2, 'still watching after the callback threw');
  assert.ok(errors.some((e) => e instanceof Error && e.message === 'callback bug'));

  const file = join(home.dir, 'a-file');
  await writeFile(file, 'x');
  const fsw2 = fakeFsWatch();
  const w2 = watchTokenCache(file, () => undefined, { timers, watchFs: fsw2.watchFs });
  const w3 = watchTokenCache('bad\0path', () => undefined, { timers });
  await Promise.all([w2.ready, w3.ready]);
  assert.deepEqual(fsw2.at(), [home.dir], 'a file in the way: its folder is watched for it to become a folder');
  await Promise.all([w2.check(), w3.check()]);
  w2.dispose();
  w3.dispose();
});
