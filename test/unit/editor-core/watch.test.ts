// Tests the token-cache watcher: fs.watch and poll, debounce, and a dispose that leaves nothing.
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { watchTokenCache } from '../../../src/core/watch';
import { tempHome } from '../../helpers/tempHome';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await sleep(10);
  }
}

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

test('fs.watch: a login in a terminal is noticed at once (the poll is far away)', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const w = watchTokenCache(dir, c.fn, { pollMs: 60_000, debounceMs: 20 });
  t.after(() => w.dispose());
  await sleep(100); // the first look sets the baseline and starts the watcher
  await writeFile(join(dir, 'abc.json'), TOKEN);
  await waitFor(() => c.n >= 1, 2000);
  assert.equal(c.n, 1);
});

test('the poll alone sees files added, rewritten in place with the same size, and removed', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'old.json'), TOKEN);
  const c = counter();
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10, useFsWatch: false });
  t.after(() => w.dispose());
  await sleep(150);
  assert.equal(c.n, 0, 'nothing changed, nothing reported');

  await writeFile(join(dir, 'new.json'), TOKEN); // aws sso login
  await waitFor(() => c.n === 1);
  await sleep(30); // a different mtime
  await writeFile(join(dir, 'new.json'), TOKEN.replace('"a"', '"b"')); // a refresh writes in place
  await waitFor(() => c.n === 2);
  await rm(join(dir, 'new.json')); // aws sso logout
  await waitFor(() => c.n === 3);
  await sleep(200);
  assert.equal(c.n, 3, 'each change reported once');
});

test('a folder that does not exist yet (nor its parents): created later, then watched', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = join(home.dir, 'no', 'such', 'sso', 'cache');
  const c = counter();
  const errors: unknown[] = [];
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10, keepAlive: true, onError: (e) => errors.push(e) });
  t.after(() => w.dispose());
  const before = handles().FSEventWrap ?? 0;
  await sleep(120);
  assert.equal(c.n, 0);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await waitFor(() => c.n >= 1);
  // The poll noticed the folder and started fs.watch on it.
  await waitFor(() => (handles().FSEventWrap ?? 0) === before + 1);
  assert.deepEqual(errors, []);
});

test('a folder deleted and re-created is followed again', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const w = watchTokenCache(dir, c.fn, { pollMs: 40, debounceMs: 10 });
  t.after(() => w.dispose());
  await sleep(100);
  await rm(dir, { recursive: true });
  await waitFor(() => c.n >= 1);
  const n = c.n;
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'tok.json'), TOKEN);
  await waitFor(() => c.n > n);
});

test('a burst of writes is one call', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const c = counter();
  const w = watchTokenCache(dir, c.fn, { pollMs: 60_000, debounceMs: 150 });
  t.after(() => w.dispose());
  await sleep(100);
  for (let i = 0; i < 5; i++) {
    await writeFile(join(dir, `f${i}.json`), TOKEN);
    await sleep(10);
  }
  await waitFor(() => c.n >= 1);
  await sleep(300);
  assert.equal(c.n, 1);
});

test('dispose stops every timer and watcher; no call after it', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const before = handles();
  const c = counter();
  const w = watchTokenCache(dir, c.fn, { pollMs: 30, debounceMs: 50, keepAlive: true });
  await sleep(100);
  const during = handles();
  assert.equal(during.FSEventWrap ?? 0, (before.FSEventWrap ?? 0) + 1, 'a watcher while running');
  assert.ok((during.Timeout ?? 0) > (before.Timeout ?? 0), 'a timer while running');
  // A change right before dispose: its debounced call must not happen.
  await writeFile(join(dir, 'x.json'), TOKEN);
  await sleep(5);
  w.dispose();
  w.dispose(); // twice is harmless
  await sleep(200);
  assert.equal(c.n, 0);
  await writeFile(join(dir, 'y.json'), TOKEN);
  await sleep(150);
  assert.equal(c.n, 0);
  const after = handles();
  assert.equal(after.FSEventWrap ?? 0, before.FSEventWrap ?? 0, 'watcher closed');
  assert.equal(after.Timeout ?? 0, before.Timeout ?? 0, 'timers cleared');
});

test('by default it never keeps the process alive', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  await mkdir(home.paths.ssoCacheDir, { recursive: true });
  const before = handles();
  const w = watchTokenCache(home.paths.ssoCacheDir, () => undefined, { pollMs: 30 });
  t.after(() => w.dispose());
  await sleep(80);
  const now = handles();
  assert.equal(now.Timeout ?? 0, before.Timeout ?? 0);
  assert.equal(now.FSEventWrap ?? 0, before.FSEventWrap ?? 0);
});

test('never throws: a callback that throws, a file where the folder should be', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const dir = home.paths.ssoCacheDir;
  await mkdir(dir, { recursive: true });
  const errors: unknown[] = [];
  let calls = 0;
  const w = watchTokenCache(
    dir,
    () => {
      calls++;
      throw new Error('callback bug');
    },
    { pollMs: 30, debounceMs: 10, onError: (e) => errors.push(e) },
  );
  t.after(() => w.dispose());
  await sleep(80);
  await writeFile(join(dir, 'a.json'), TOKEN);
  await waitFor(() => calls === 1);
  await sleep(50);
  await writeFile(join(dir, 'b.json'), TOKEN);
  await waitFor(() => calls === 2);
  assert.ok(errors.some((e) => e instanceof Error && e.message === 'callback bug'));

  const file = join(home.dir, 'a-file');
  await writeFile(file, 'x');
  const w2 = watchTokenCache(file, () => undefined, { pollMs: 20 });
  const w3 = watchTokenCache('bad\0path', () => undefined, { pollMs: 20 });
  await sleep(60);
  w2.dispose();
  w3.dispose();
});
