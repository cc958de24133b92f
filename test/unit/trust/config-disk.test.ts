// Trust §2: an unreadable, unwritable, missing or symlinked config file or SSO cache folder, a
// full disk, a file the CLI cannot parse: a clear SsoError naming the path, nothing written,
// nothing lost. Permission cases run as `nobody` (root ignores chmod); the full disk is a tmpfs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, test } from 'node:test';
import { main } from '../../../src/cli/main';
import { SsoAuth } from '../../../src/core/auth/session';
import { tokenFilePath, writeTokenFile } from '../../../src/core/auth/tokenCache';
import { ConfigFile } from '../../../src/core/config/configFile';
import { applyProfiles, SsoSessionSpec } from '../../../src/core/config/edit';
import { isSsoError } from '../../../src/core/errors';
import { resolveAwsPaths } from '../../../src/core/paths';
import { FakeIdentityCenter } from '../../fakes/identityCenter';
import { cannotDropPrivileges, NOBODY, runAsNobody } from '../../helpers/trust-asuser';

const S: SsoSessionSpec & { scopes: string[] } = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
const SESSION_TEXT = '[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n';
const ORIGINAL = `# mine\n[default]\nregion = eu-west-1\n\n${SESSION_TEXT}`;
const addDev = (t: string) =>
  applyProfiles(t, { setSessions: [S], upserts: [{ name: 'dev', ssoSession: 'corp', accountId: '123456789012', roleName: 'Dev' }] });
const noNobody = cannotDropPrivileges();

let fake: FakeIdentityCenter;
let root: string;
before(async () => {
  fake = await FakeIdentityCenter.start({ accounts: 2, autoApprove: true, deviceInterval: 1 });
  root = await mkdtemp(join(tmpdir(), 'trust-disk-'));
  await chmod(root, 0o755);
});
after(async () => {
  await fake.close();
  await rm(root, { recursive: true, force: true });
});

let n = 0;
/** A fresh HOME under the shared root, owned by `uid`. */
async function home(uid = 0): Promise<{ dir: string; config: string; env: NodeJS.ProcessEnv }> {
  const dir = join(root, `home-${n++}`);
  await mkdir(join(dir, '.aws'), { recursive: true });
  await chmod(dir, 0o755);
  if (uid !== 0) {
    await chown(dir, uid, uid);
    await chown(join(dir, '.aws'), uid, uid);
  }
  const config = join(dir, '.aws', 'config');
  return { dir, config, env: { HOME: dir, AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials') } };
}

async function listTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) out.push(join(e.path ?? (e as { parentPath?: string }).parentPath ?? '', e.name));
  return out.sort();
}

interface ChildOutcome {
  thrown?: boolean;
  name?: string;
  code?: string;
  message?: string;
  ok?: boolean;
}

const EDIT_AS_NOBODY = (path: string) => `
const { ConfigFile } = require(SRC + '/core/config/configFile');
const { applyProfiles } = require(SRC + '/core/config/edit');
const S = ${JSON.stringify(S)};
await new ConfigFile(${JSON.stringify(path)}).edit((t: string) => applyProfiles(t, { setSessions: [S], upserts: [{ name: 'dev', ssoSession: 'corp', accountId: '123456789012', roleName: 'Dev' }] }));
report({ ok: true });
`;

function assertClear(o: ChildOutcome | undefined, path: string, why: RegExp): void {
  assert.ok(o, 'the child reported');
  assert.equal(o.thrown, true, `expected a refusal, got ${JSON.stringify(o)}`);
  assert.equal(o.name, 'SsoError', JSON.stringify(o));
  assert.equal(o.code, 'ConfigFile', JSON.stringify(o));
  assert.ok(o.message!.includes(path), `names the path: ${o.message}`);
  assert.match(o.message!, why);
}

test('as nobody: an unreadable config, a read-only folder, a symlink to an unreadable file: clear refusal, nothing written', { skip: noNobody }, async (t) => {
  // Unreadable: root's 0600 file in nobody's own folder.
  const a = await home(NOBODY);
  await writeFile(a.config, ORIGINAL, { mode: 0o600 });
  const before1 = await listTree(a.dir);
  const r1 = await runAsNobody<ChildOutcome>(EDIT_AS_NOBODY(a.config), a.env);
  assertClear(r1.value, a.config, /permission denied.*then try again\. The file was not changed\./s);
  assert.equal(await readFile(a.config, 'utf8'), ORIGINAL);
  assert.deepEqual(await listTree(a.dir), before1, 'no backup, no temp file');

  // Read-only folder: nobody owns the file, root owns the folder.
  const b = await home();
  await writeFile(b.config, ORIGINAL, { mode: 0o644 });
  await chown(b.config, NOBODY, NOBODY);
  const before2 = await listTree(b.dir);
  const r2 = await runAsNobody<ChildOutcome>(EDIT_AS_NOBODY(b.config), b.env);
  assertClear(r2.value, b.config, /permission denied/);
  assert.equal(await readFile(b.config, 'utf8'), ORIGINAL);
  assert.deepEqual(await listTree(b.dir), before2);

  // A symlink (in nobody's folder) to root's private file: the message names the configured path.
  const c = await home(NOBODY);
  const target = join(root, `private-${n++}`);
  await writeFile(target, ORIGINAL, { mode: 0o600 });
  await symlink(target, c.config);
  const r3 = await runAsNobody<ChildOutcome>(EDIT_AS_NOBODY(c.config), c.env);
  assertClear(r3.value, c.config, /permission denied/);
  assert.equal(await readFile(target, 'utf8'), ORIGINAL);
  assert.ok((await lstat(c.config)).isSymbolicLink());
  t.diagnostic('3 permission cases as uid 65534');
});


test('as nobody: an SSO cache folder nobody may write: the sign-in fails with an SsoError, nothing is written', { skip: noNobody }, async () => {
  const h = await home(NOBODY);
  await writeFile(h.config, ORIGINAL, { mode: 0o644 });
  await chown(h.config, NOBODY, NOBODY);
  const cache = join(h.dir, '.aws', 'sso', 'cache');
  await mkdir(cache, { recursive: true, mode: 0o755 }); // root's
  const r = await runAsNobody<ChildOutcome>(
    `
const { main } = require(SRC + '/cli/main');
let out = '';
const code = await main(['login', '--sso-session', 'corp', '--device-code'], { env: process.env, stdout: (s: string) => (out += s), stderr: (s: string) => (out += s) });
report({ ok: code === 0, code: String(code), message: out });
`,
    { ...h.env, ...fake.env() },
  );
  assert.ok(r.value, r.stderr);
  assert.equal(r.value.code, '1', `exit code; output: ${r.value.message}`);
  assert.doesNotMatch(r.value.message!, /unexpected error/i, 'not an unexpected error');
  assert.deepEqual(await readdir(cache), [], 'nothing written to the cache');
  assert.equal(await readFile(h.config, 'utf8'), ORIGINAL);
});

test('as nobody: an unwritable SSO cache names the cache path and says what to do', { skip: noNobody }, async () => {
  const h = await home(NOBODY);
  await writeFile(h.config, ORIGINAL, { mode: 0o644 });
  const cache = join(h.dir, '.aws', 'sso', 'cache');
  await mkdir(cache, { recursive: true, mode: 0o755 });
  const r = await runAsNobody<ChildOutcome>(
    `
const { SsoAuth } = require(SRC + '/core/auth/session');
const { resolveAwsPaths } = require(SRC + '/core/paths');
const auth = new SsoAuth({ paths: resolveAwsPaths(process.env), env: process.env, sleep: async () => {} });
await auth.loginWithDeviceCode(${JSON.stringify(S)}, { onPrompt: () => {} });
report({ ok: true });
`,
    { ...h.env, ...fake.env() },
  );
  assertClear(r.value, cache, /permission denied/);
});

test('an SSO cache path that is a file: a clear ConfigFile error, not "could not reach"', {}, async () => {
  const h = await home();
  await writeFile(h.config, ORIGINAL);
  await mkdir(join(h.dir, '.aws', 'sso'), { recursive: true });
  const cache = join(h.dir, '.aws', 'sso', 'cache');
  await writeFile(cache, 'not a folder');
  const auth = new SsoAuth({ paths: resolveAwsPaths(h.env), env: { ...h.env, ...fake.env() }, sleep: async () => undefined });
  await assert.rejects(auth.loginWithDeviceCode(S, { onPrompt: () => undefined }), (e) => {
    assert.ok(isSsoError(e), String(e));
    assert.equal(e.code, 'ConfigFile', `${e.code}: ${e.message}`);
    assert.ok(e.message.includes(cache), e.message);
    return true;
  });
  assert.equal(await readFile(cache, 'utf8'), 'not a folder');
});

test('missing config and cache: commands explain, nothing is created by reads; symlink loops are named', async () => {
  const h = await home();
  const out: string[] = [];
  const io = { env: { ...h.env, ...fake.env() }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
  assert.equal(await main(['status'], io), 0);
  assert.match(out.join(''), /No \[sso-session\] in .*config.*add-session/);
  out.length = 0;
  assert.equal(await main(['accounts', '--sso-session', 'corp'], io), 1);
  assert.match(out.join(''), /No \[sso-session corp\] in the config file/);
  assert.deepEqual(await readdir(join(h.dir, '.aws')), [], 'reading created nothing');

  // A symlink loop.
  await symlink('config-b', h.config);
  await symlink('config', join(h.dir, '.aws', 'config-b'));
  await assert.rejects(new ConfigFile(h.config).edit(addDev), (e) => isSsoError(e, 'ConfigFile') && e.message.includes(h.config) && /loops/.test(e.message));
  out.length = 0;
  assert.equal(await main(['add-session', '--sso-session', 'x', '--start-url', 'https://x.awsapps.com/start', '--region', 'us-east-1'], io), 1);
  assert.match(out.join(''), /symbolic link that loops/);
});

test('a symlinked SSO cache folder: the token lands in the target, 0600, and the link stays', async () => {
  const h = await home();
  await writeFile(h.config, ORIGINAL);
  const elsewhere = join(h.dir, 'dotfiles-cache');
  await mkdir(elsewhere, { mode: 0o700 });
  await mkdir(join(h.dir, '.aws', 'sso'), { recursive: true });
  await symlink(elsewhere, join(h.dir, '.aws', 'sso', 'cache'));
  const paths = resolveAwsPaths(h.env);
  const auth = new SsoAuth({ paths, env: { ...h.env, ...fake.env() }, sleep: async () => undefined });
  await auth.loginWithDeviceCode(S, { onPrompt: () => undefined });
  assert.ok((await lstat(paths.ssoCacheDir)).isSymbolicLink());
  const file = join(elsewhere, tokenFilePath(paths, S).split('/').pop()!);
  assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.ok(JSON.parse(await readFile(file, 'utf8')).accessToken);
});

test('a config file the AWS CLI cannot parse: every writing command refuses, names the file and line, and writes nothing', async () => {
  const h = await home();
  const broken = `${ORIGINAL}[profile x]\nregion = a\nRegion = b\n`;
  await writeFile(h.config, broken);
  const before = await listTree(h.dir);
  const out: string[] = [];
  const io = { env: { ...h.env, ...fake.env() }, stdout: (s: string) => out.push(s), stderr: (s: string) => out.push(s) };
  const code = await main(['add-session', '--sso-session', 'y', '--start-url', 'https://y.awsapps.com/start', '--region', 'us-east-1'], io);
  assert.equal(code, 1);
  const text = out.join('');
  assert.ok(text.includes(h.config), text);
  assert.match(text, /cannot be read by the AWS CLI.*line 10.*appears more than once/s);
  assert.match(text, /left untouched/);
  assert.equal(await readFile(h.config, 'utf8'), broken);
  assert.deepEqual(await listTree(h.dir), before, 'no backup, no temp file');
});

/** Mounts a tmpfs of `kb` KiB; undefined (with the reason) when this sandbox cannot. */
function mountTmpfs(dir: string, kb: number): string | undefined {
  if (process.getuid?.() !== 0) return 'not root';
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${kb}k,mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  return r.status === 0 ? undefined : `mount -t tmpfs failed: ${(r.stderr || String(r.error)).trim()}`;
}

async function fill(dir: string): Promise<string[]> {
  const chunks: string[] = [];
  for (let i = 0; ; i++) {
    const f = join(dir, `filler-${i}`);
    try {
      await writeFile(f, Buffer.alloc(4096, 0x61));
      chunks.push(f);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
      await rm(f, { force: true });
      return chunks;
    }
  }
}

test('a full disk (tmpfs): the config edit fails with "disk is full", the file and its bytes survive', async (t) => {
  const mnt = await mkdtemp(join(tmpdir(), 'trust-tmpfs-'));
  const why = mountTmpfs(mnt, 256);
  if (why) {
    t.skip(why);
    await rm(mnt, { recursive: true, force: true });
    return;
  }
  try {
    const config = join(mnt, '.aws', 'config');
    await mkdir(dirname(config), { recursive: true });
    const big = ORIGINAL + '# padding\n'.repeat(900); // ~9 KB: three pages
    await writeFile(config, big, { mode: 0o640 });
    await chmod(config, 0o640);
    const chunks = await fill(join(mnt));
    // Entirely full: the backup cannot be written, so the config is not touched.
    await assert.rejects(new ConfigFile(config).edit(addDev), (e) => isSsoError(e, 'ConfigFile') && e.message.includes(config) && /disk is full/.test(e.message));
    assert.equal(await readFile(config, 'utf8'), big);
    assert.deepEqual((await readdir(dirname(config))).sort(), ['config'], 'no backup, no temp file');
    // Room for the backup only: the backup is written, the new config is not; the old one stays.
    for (const f of chunks.slice(0, 3)) await rm(f);
    await assert.rejects(new ConfigFile(config).edit(addDev), (e) => isSsoError(e, 'ConfigFile') && /disk is full/.test(e.message));
    assert.equal(await readFile(config, 'utf8'), big);
    assert.equal((await stat(config)).mode & 0o777, 0o640);
    const left = (await readdir(dirname(config))).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual(left, [], 'no temp file left');
    // Space again: the edit goes through.
    for (const f of chunks.slice(3, 12)) await rm(f);
    await new ConfigFile(config).edit((x) => applyProfiles(x, { upserts: [{ name: 'dev', ssoSession: 'corp', accountId: '123456789012', roleName: 'Dev' }] }));
    const now = await readFile(config, 'utf8');
    assert.ok(now.startsWith(big), `${now.length} ${big.length} ${JSON.stringify(now.slice(-300))}`);
    t.diagnostic(`tmpfs 256 KiB, ${chunks.length} filler pages`);
  } finally {
    spawnSync('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
  }
});

test('a full disk (tmpfs) while the token is refreshed: the old token file stays whole, valid JSON, 0600', async (t) => {
  const mnt = await mkdtemp(join(tmpdir(), 'trust-tmpfs-'));
  const why = mountTmpfs(mnt, 128);
  if (why) {
    t.skip(why);
    await rm(mnt, { recursive: true, force: true });
    return;
  }
  try {
    const env = { HOME: mnt, AWS_CONFIG_FILE: join(mnt, '.aws', 'config') };
    const paths = resolveAwsPaths(env);
    const minted = fake.mintToken({ ttlSec: 60 * 5, withRefresh: true });
    const now = Date.now();
    await writeTokenFile(paths, S, {
      startUrl: S.startUrl,
      region: S.region,
      accessToken: minted.accessToken,
      expiresAt: now + 5 * 60_000,
      clientId: minted.clientId,
      clientSecret: minted.clientSecret,
      registrationExpiresAt: minted.registrationExpiresAt,
      refreshToken: minted.refreshToken,
    });
    const file = tokenFilePath(paths, S);
    const old = await readFile(file, 'utf8');
    await fill(mnt);
    const logs: string[] = [];
    const auth = new SsoAuth({ paths, env: { ...env, ...fake.env() }, log: (m) => logs.push(m) });
    // Still usable for 5 minutes: the failed write is logged and the current token handed out.
    const got = await auth.getAccessToken(S);
    assert.equal(got.accessToken, minted.accessToken);
    assert.equal(await readFile(file, 'utf8'), old, 'the old token file, byte for byte');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual((await readdir(paths.ssoCacheDir)).filter((f) => f.endsWith('.tmp')), []);
    for (const s of fake.issuedSecrets()) assert.ok(!logs.join('\n').includes(s), 'no secret in the log');
  } finally {
    spawnSync('umount', [mnt]);
    await rm(mnt, { recursive: true, force: true });
  }
});
