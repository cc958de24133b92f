// The file layer as Windows and macOS: renames refused while another process holds the target
// open (EPERM, EBUSY, EACCES), retried within a bound; no POSIX modes on Windows.
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  describeFsError,
  ensurePrivateDir,
  FileInUseError,
  FileLayer,
  prepareFileWrite,
  WINDOWS_RENAME_DELAYS_MS,
  writeFileAtomic,
} from '../../../src/core/fsutil';
import { PlatformName } from '../../../src/core/platform';

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: operation not permitted, rename`), { code });
}

/** A file system whose renames fail with `code` for the first `failures` tries; sleeps are recorded, not waited. */
function refusing(platform: PlatformName, code: string, failures: number, target: string, old: string) {
  const sleeps: number[] = [];
  const seenByReaders: string[] = [];
  let tries = 0;
  const layer: FileLayer = {
    platform,
    renameSync(from, to) {
      tries++;
      // What a reader sees while the rename is refused: the whole old file.
      seenByReaders.push(readFileSync(target, 'utf8'));
      if (tries <= failures) throw errno(code);
      renameSync(from, to);
    },
    sleepSync: (ms) => void sleeps.push(ms),
  };
  return { layer, sleeps, seenByReaders, tries: () => tries, old };
}

function tempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'aws-sso-platform-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

for (const code of ['EPERM', 'EBUSY', 'EACCES']) {
  test(`win32: a rename refused with ${code} three times is retried and lands; readers saw the old file whole`, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'config');
    writeFileSync(file, '[default]\nregion = eu-west-1\n');
    const fs = refusing('win32', code, 3, file, '[default]\nregion = eu-west-1\n');
    await writeFileAtomic(file, '[default]\nregion = us-east-1\n', 0o600, fs.layer);
    assert.equal(readFileSync(file, 'utf8'), '[default]\nregion = us-east-1\n');
    assert.equal(fs.tries(), 4);
    assert.deepEqual(fs.sleeps, WINDOWS_RENAME_DELAYS_MS.slice(0, 3));
    assert.deepEqual(new Set(fs.seenByReaders), new Set([fs.old]));
    assert.deepEqual(readdirSync(dir), ['config'], 'no temporary file left');
  });
}

test('win32: a rename refused for good gives up within 1 s with a message naming the file; nothing changed', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config');
  writeFileSync(file, 'old\n');
  const fs = refusing('win32', 'EACCES', Infinity, file, 'old\n');
  const prepared = await prepareFileWrite(file, 'new\n', 0o600, fs.layer);
  assert.throws(
    () => prepared.commitSync(),
    (e: unknown) => {
      assert.ok(e instanceof FileInUseError);
      assert.equal(e.code, 'EACCES');
      assert.equal(e.file, file);
      assert.match(e.message, new RegExp(`^Cannot replace ${file.replace(/[\\/.]/g, '\\$&')}: Windows refused .*\\(EACCES\\).*another program.*read-only`));
      assert.equal(describeFsError(e), e.reason, 'ConfigFile and the CLI word it the same way');
      return true;
    },
  );
  assert.equal(fs.tries(), WINDOWS_RENAME_DELAYS_MS.length + 1);
  assert.ok(
    fs.sleeps.reduce((a, b) => a + b, 0) <= 1000,
    `bounded: ${fs.sleeps.join('+')} ms`,
  );
  assert.equal(readFileSync(file, 'utf8'), 'old\n');
  assert.deepEqual(readdirSync(dir), ['config'], 'no temporary file left');
});

for (const platform of ['linux', 'darwin'] as const) {
  test(`${platform}: EPERM on rename is not a moment's lock: thrown at once, unchanged`, async (t) => {
    const dir = tempDir(t);
    const file = join(dir, 'config');
    writeFileSync(file, 'old\n');
    const fs = refusing(platform, 'EPERM', 1, file, 'old\n');
    await assert.rejects(writeFileAtomic(file, 'new\n', 0o600, fs.layer), { code: 'EPERM' });
    assert.equal(fs.tries(), 1);
    assert.deepEqual(fs.sleeps, []);
    assert.equal(readFileSync(file, 'utf8'), 'old\n');
  });
}

test('win32: an error that is no lock (ENOENT of the folder) is not retried', async (t) => {
  const dir = tempDir(t);
  const file = join(dir, 'config');
  writeFileSync(file, 'old\n');
  const fs = refusing('win32', 'ENOENT', 1, file, 'old\n');
  await assert.rejects(writeFileAtomic(file, 'new\n', 0o600, fs.layer), { code: 'ENOENT' });
  assert.equal(fs.tries(), 1);
});

const host = (platform: PlatformName): FileLayer => ({ platform, renameSync, sleepSync: () => assert.fail('no sleep') });

test('no 0600/0700 on Windows (the profile ACLs protect it); POSIX modes on macOS and Linux', { skip: process.platform === 'win32' && 'POSIX host only' }, async (t) => {
  const dir = tempDir(t);
  const old = process.umask(0o022);
  t.after(() => process.umask(old));
  for (const platform of ['win32', 'darwin', 'linux'] as const) {
    const folder = join(dir, platform);
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    await ensurePrivateDir(folder, host(platform));
    await writeFileAtomic(join(folder, 'f'), 'x', 0o666, host(platform));
    const want = platform === 'win32' ? { dir: 0o755, file: 0o644 } : { dir: 0o700, file: 0o666 };
    assert.equal(statSync(folder).mode & 0o777, want.dir, `${platform} folder`);
    assert.equal(statSync(join(folder, 'f')).mode & 0o777, want.file, `${platform} file`);
  }
});
