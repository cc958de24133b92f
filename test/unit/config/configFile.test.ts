// The disk layer: atomic writes, backups, modes, symlinks, concurrent writers and clear refusals.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { chmod, lstat, mkdir, readdir, readFile, readlink, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ConfigFile } from '../../../src/core/config/configFile';
import { applyProfiles, SsoSessionSpec } from '../../../src/core/config/edit';
import { listProfiles } from '../../../src/core/config/read';
import { isSsoError } from '../../../src/core/errors';
import { tempHome } from '../../helpers/tempHome';

const S: SsoSessionSpec = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
const addDev = (t: string) =>
  applyProfiles(t, { setSessions: [S], upserts: [{ name: 'dev', ssoSession: 'corp', accountId: '123456789012', roleName: 'Dev' }] });
const posix = process.platform !== 'win32';
const root = posix && process.getuid?.() === 0;

async function withHome(fn: (configPath: string, dir: string) => Promise<void>): Promise<void> {
  const home = await tempHome();
  try {
    await fn(home.paths.configFile, home.dir);
  } finally {
    await home.cleanup();
  }
}

async function assertConfigError(p: Promise<unknown>, path: string, pattern: RegExp): Promise<void> {
  await assert.rejects(p, (e: unknown) => {
    assert.ok(isSsoError(e, 'ConfigFile'), String(e));
    assert.ok(e.message.includes(path), `message names the file: ${e.message}`);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a missing file and folder are created: folder 0700, file 0600, no backup', async () => {
  await withHome(async (path) => {
    const cfg = new ConfigFile(path);
    assert.equal(await cfg.read(), undefined);
    const r = await cfg.edit(addDev);
    assert.deepEqual(r, { changed: true });
    const text = await readFile(path, 'utf8');
    assert.deepEqual(
      listProfiles(text).map((p) => p.name),
      ['dev'],
    );
    if (posix) {
      assert.equal((await stat(path)).mode & 0o777, 0o600);
      assert.equal((await stat(dirname(path))).mode & 0o777, 0o700);
    }
    await assert.rejects(stat(`${path}.bak`), { code: 'ENOENT' });
    const read = await cfg.read();
    assert.equal(read?.text, text);
    assert.equal(read?.size, Buffer.byteLength(text));
    assert.ok(read!.mtimeMs > 0);
  });
});

test('an edit replaces the file atomically, keeps its mode and the previous version as .bak', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    const original = '# mine\r\n[default]\r\nregion = eu-west-1 # keep\r\n';
    await writeFile(path, original, { mode: 0o644 });
    if (posix) await chmod(path, 0o644);
    const inodeBefore = (await stat(path)).ino;
    const r = await new ConfigFile(path).edit(addDev);
    assert.deepEqual(r, { changed: true, backupPath: `${path}.bak` });
    const now = await readFile(path, 'utf8');
    assert.ok(now.startsWith(original));
    assert.ok(!/[^\r]\n/.test(now), 'CRLF kept');
    assert.equal(await readFile(`${path}.bak`, 'utf8'), original);
    if (posix) {
      assert.equal((await stat(path)).mode & 0o777, 0o644);
      assert.equal((await stat(`${path}.bak`)).mode & 0o777, 0o600);
      // A rename, not an in-place rewrite: a reader never sees half a file.
      assert.notEqual((await stat(path)).ino, inodeBefore);
    }
    const leftovers = (await readdir(dirname(path))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(leftovers, []);
    // The backup is the version before each edit.
    await new ConfigFile(path).edit((t) => t.replace('eu-west-1', 'eu-west-2'));
    assert.equal(await readFile(`${path}.bak`, 'utf8'), now);
  });
});

test('an edit that changes nothing writes nothing', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, addDev(''));
    const before = await stat(path);
    let calls = 0;
    const r = await new ConfigFile(path).edit((t) => {
      calls++;
      return addDev(t);
    });
    assert.deepEqual(r, { changed: false });
    assert.equal(calls, 1);
    assert.equal((await stat(path)).mtimeMs, before.mtimeMs);
    assert.equal((await stat(path)).ino, before.ino);
    await assert.rejects(stat(`${path}.bak`), { code: 'ENOENT' });
    // Nothing to write into a missing file either.
    const missing = join(dirname(path), 'nothing');
    assert.deepEqual(await new ConfigFile(missing).edit((t) => t), { changed: false });
    await assert.rejects(stat(missing), { code: 'ENOENT' });
  });
});

test('a symlinked config: the target is written, the link stays a link', { skip: !posix }, async () => {
  await withHome(async (path, dir) => {
    const dotfiles = join(dir, 'dotfiles', 'aws');
    await mkdir(dotfiles, { recursive: true });
    await mkdir(dirname(path), { recursive: true });
    const target = join(dotfiles, 'config');
    await writeFile(target, '[default]\nregion = us-east-1\n', { mode: 0o640 });
    await chmod(target, 0o640);
    await symlink('../dotfiles/aws/config', path);
    const r = await new ConfigFile(path).edit(addDev);
    assert.equal(r.backupPath, `${path}.bak`);
    assert.ok((await lstat(path)).isSymbolicLink());
    assert.equal(await readlink(path), '../dotfiles/aws/config');
    assert.deepEqual(
      listProfiles(await readFile(target, 'utf8')).map((p) => p.name),
      ['default', 'dev'],
    );
    assert.equal((await stat(target)).mode & 0o777, 0o640);
    assert.equal(await readFile(`${path}.bak`, 'utf8'), '[default]\nregion = us-east-1\n');
    assert.deepEqual(await readdir(dotfiles), ['config'], 'nothing else lands in the link target folder');
    // A dangling link: the file is created where it points.
    const dangling = join(dir, 'dangling-config');
    await symlink(join(dotfiles, 'new-config'), dangling);
    await new ConfigFile(dangling).edit(addDev);
    assert.ok((await lstat(dangling)).isSymbolicLink());
    assert.equal(listProfiles(await readFile(join(dotfiles, 'new-config'), 'utf8')).length, 1);
  });
});

test('a change on disk while editing: the edit is redone on the fresh text', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '[default]\nregion = us-east-1\n');
    const seen: string[] = [];
    const r = await new ConfigFile(path).edit((t) => {
      seen.push(t);
      // Another program (the AWS CLI) writes the file while we compute.
      if (seen.length === 1) writeFileSync(path, `${t}\n[profile cli-added]\nregion = eu-west-1\n`);
      return addDev(t);
    });
    assert.equal(seen.length, 2);
    assert.ok(seen[1].includes('cli-added'));
    assert.equal(r.changed, true);
    const names = listProfiles(await readFile(path, 'utf8')).map((p) => p.name);
    assert.deepEqual(names, ['default', 'cli-added', 'dev']);
    // The backup is the version the edit was applied to.
    assert.equal(await readFile(`${path}.bak`, 'utf8'), seen[1]);
  });
});

test('a file that keeps changing: bounded retries, then a clear error and nothing written', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '[default]\n');
    let n = 0;
    const cfg = new ConfigFile(path, {
      maxAttempts: 3,
      beforeCommit: async () => {
        await writeFile(path, `[default]\n# external write ${++n}\n`);
      },
    });
    await assertConfigError(cfg.edit(addDev), path, /kept changing/);
    assert.equal(n, 3);
    assert.equal(await readFile(path, 'utf8'), '[default]\n# external write 3\n');
    await assert.rejects(stat(`${path}.bak`), { code: 'ENOENT' });
  });
});

test('an edit refused by the config rules leaves the file untouched and names it', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    const broken = '[default]\nregion = a\n[default]\nregion = b\n';
    await writeFile(path, broken);
    await assertConfigError(new ConfigFile(path).edit(addDev), path, /appears more than once/);
    assert.equal(await readFile(path, 'utf8'), broken);
    await assert.rejects(stat(`${path}.bak`), { code: 'ENOENT' });
    // Errors other than ConfigFile ones pass through unchanged.
    await assert.rejects(
      new ConfigFile(path).edit(() => {
        throw new RangeError('boom');
      }),
      RangeError,
    );
  });
});

test('bytes that are not UTF-8 are never rewritten; a BOM survives an edit', async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    const latin1 = Buffer.from('[default]\n# caf\xe9\n', 'latin1');
    await writeFile(path, latin1);
    await assertConfigError(new ConfigFile(path).edit((t) => `${t}x`), path, /not valid UTF-8/);
    assert.ok((await readFile(path)).equals(latin1));
    const bom = Buffer.from('\ufeff# keep me\n', 'utf8');
    await writeFile(path, bom);
    assert.equal((await new ConfigFile(path).read())?.text, '\ufeff# keep me\n');
    await new ConfigFile(path).edit((t) => `${t}# more\n`);
    assert.ok((await readFile(path)).equals(Buffer.concat([bom, Buffer.from('# more\n')])));
  });
});

test('unreadable or unwritable: an error that says where and what to do, nothing written', async () => {
  await withHome(async (path, dir) => {
    // The config path is a folder.
    await mkdir(path, { recursive: true });
    await assertConfigError(new ConfigFile(path).read(), path, /not a regular file/);
    // A part of the path is a file.
    const blocker = join(dir, 'blocker');
    await writeFile(blocker, 'x');
    await assertConfigError(new ConfigFile(join(blocker, 'config')).edit(addDev), join(blocker, 'config'), /not a folder/);
    // The backup cannot be written (a folder is in the way): the config is not touched.
    const other = join(dir, 'other', 'config');
    await mkdir(`${other}.bak/inside`, { recursive: true });
    await writeFile(other, '[default]\n');
    await assertConfigError(new ConfigFile(other).edit(addDev), other, /Cannot write/);
    assert.equal(await readFile(other, 'utf8'), '[default]\n');
    assert.deepEqual((await readdir(dirname(other))).sort(), ['config', 'config.bak']);
  });
});

test('permissions: unreadable file and read-only folder', { skip: !posix || root }, async () => {
  await withHome(async (path) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, '[default]\n');
    await chmod(path, 0o000);
    await assertConfigError(new ConfigFile(path).edit(addDev), path, /permission denied/);
    await chmod(path, 0o600);
    await chmod(dirname(path), 0o500);
    try {
      await assertConfigError(new ConfigFile(path).edit(addDev), path, /permission denied/);
      assert.equal(await readFile(path, 'utf8'), '[default]\n');
    } finally {
      await chmod(dirname(path), 0o700);
    }
  });
});
