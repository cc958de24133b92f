// The credential_process profile: the line both botocore and the JavaScript SDK split as meant (a
// HOME with spaces and quotes), the AWS CLI version rule, the profile edit, and the installed command line.
import assert from 'node:assert/strict';
import { exec, execFile } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { brotliCompressSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { isSsoError } from '../../../src/core/errors';
import {
  awsCliHasExportCredentials,
  CLI_PACK,
  awsOnPath,
  credentialProcessLine,
  installCli,
  launcherScript,
  writeProcessProfile,
} from '../../../src/core/processProfile';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), "proc ess'\"$x-"));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A program at a hostile path that prints its arguments as JSON. */
async function echoArgs(): Promise<string> {
  const p = join(dir, "my tools $HOME `x` 'q'", 'echo args');
  await mkdir(join(p, '..'), { recursive: true });
  await writeFile(p, `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`);
  await chmod(p, 0o755);
  return p;
}

test('the line runs the same argv through /bin/sh (the JS SDK\u2019s exec) and botocore\u2019s compat_shell_split', { skip: process.platform === 'win32' }, async () => {
  const path = await echoArgs();
  for (const runner of [{ kind: 'ours' as const, path }, { kind: 'aws-cli' as const, path, version: '2.15.0' }]) {
    const line = credentialProcessLine(runner, 'dev.admin@x+y:1/2%');
    const want =
      runner.kind === 'ours'
        ? ['credentials', '--profile', 'dev.admin@x+y:1/2%', '--format', 'process']
        : ['configure', 'export-credentials', '--profile', 'dev.admin@x+y:1/2%', '--format', 'process'];
    const viaSh = await promisify(exec)(line);
    assert.deepEqual(JSON.parse(viaSh.stdout), want);
    const py = [
      'import sys, subprocess',
      "sys.path.insert(0, '/usr/lib/python3/dist-packages/awscli')",
      'from botocore.compat import compat_shell_split',
      'sys.stdout.write(subprocess.run(compat_shell_split(sys.argv[1]), capture_output=True, text=True).stdout)',
    ].join('\n');
    const viaBotocore = await promisify(execFile)('/usr/bin/python3', ['-c', py, line]);
    assert.deepEqual(JSON.parse(viaBotocore.stdout), want);
  }
});

test('Windows lines: double quotes around a path with spaces; a path cmd.exe would expand is refused', () => {
  assert.equal(
    credentialProcessLine({ kind: 'ours', path: 'C:\\Users\\Ann Lee\\.aws\\aws-sso-profiles\\bin\\aws-sso-profiles.cmd' }, 'dev', 'win32'),
    '"C:\\Users\\Ann Lee\\.aws\\aws-sso-profiles\\bin\\aws-sso-profiles.cmd" credentials --profile dev --format process',
  );
  assert.throws(() => credentialProcessLine({ kind: 'ours', path: 'C:\\Users\\%USER%\\x.cmd' }, 'dev', 'win32'), (e) => isSsoError(e, 'InvalidInput'));
});

test('only an AWS CLI v2 of 2.9.0 or later has export-credentials', () => {
  assert.equal(awsCliHasExportCredentials('aws-cli/2.9.19 Python/3.11.2 Linux/6 source/x86_64.debian.12 prompt/off'), '2.9.19');
  assert.equal(awsCliHasExportCredentials('aws-cli/2.9.0 Python/3'), '2.9.0');
  assert.equal(awsCliHasExportCredentials('aws-cli/2.10.1 Python/3'), '2.10.1');
  assert.equal(awsCliHasExportCredentials('aws-cli/2.8.12 Python/3'), undefined);
  assert.equal(awsCliHasExportCredentials('aws-cli/1.45.11 Python/3.11.7'), undefined);
  assert.equal(awsCliHasExportCredentials('aws-cli/3.0.0'), undefined);
  assert.equal(awsCliHasExportCredentials(''), undefined);
});

test('awsOnPath lists every aws on PATH in order (a v1 first on PATH must not hide a v2 later)', async () => {
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  for (const d of [a, b]) {
    await mkdir(d, { recursive: true });
    await writeFile(join(d, 'aws'), '#!/bin/sh\n');
    await chmod(join(d, 'aws'), 0o755);
  }
  assert.deepEqual(awsOnPath({ PATH: [a, 'relative', join(dir, 'none'), b].join(':') }, 'linux'), [join(a, 'aws'), join(b, 'aws')]);
});

test('writeProcessProfile: a new profile marked as ours; ours updated in place; a hand-written one refused', () => {
  const hand = '# mine\n[profile dev]\nsso_session = s\n\n[profile x-process]\nregion = eu-west-1\n';
  const out = writeProcessProfile(hand, { name: 'dev-process', line: '/usr/bin/aws configure export-credentials --profile dev --format process', region: 'us-east-1' });
  assert.ok(out.startsWith(hand));
  assert.equal(
    out.slice(hand.length),
    '\n[profile dev-process]\ncredential_process = /usr/bin/aws configure export-credentials --profile dev --format process\nregion = us-east-1\naws_sso_profiles_managed = true\n',
  );
  const again = writeProcessProfile(out, { name: 'dev-process', line: "'/h/bin/aws-sso-profiles' credentials --profile dev --format process" });
  assert.match(again, /credential_process = '\/h\/bin\/aws-sso-profiles' credentials --profile dev --format process\nregion = us-east-1\naws_sso_profiles_managed = true\n$/);
  assert.throws(() => writeProcessProfile(hand, { name: 'x-process', line: 'a' }), (e) => isSsoError(e, 'InvalidInput'));
  assert.throws(() => writeProcessProfile(hand, { name: 'bad name', line: 'a' }), (e) => isSsoError(e, 'InvalidInput'));
  assert.throws(() => writeProcessProfile(hand, { name: 'y', line: 'a\nb = c' }), (e) => isSsoError(e, 'InvalidInput'));
});

/** What the build writes (esbuild.config.mjs cliPack): the command line's own files, and those the extension ships. */
async function writePack(dist: string, files: Record<string, string>, shared: string[] = []): Promise<void> {
  await writeFile(join(dist, CLI_PACK), brotliCompressSync(Buffer.from(JSON.stringify({ files, shared }))));
}

test('installCli unpacks the command line the build packed, copies the shared bundles, and refuses a build without the pack', { skip: process.platform === 'win32' }, async () => {
  const dist = join(dir, 'dist-packed');
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'sdk.js'), '// sdk\n');
  await assert.rejects(installCli({ home: join(dir, 'home-packed'), distDir: dist, version: '2.0.0', runtime: process.execPath }), /does not carry its command line/);
  await writeFile(join(dist, CLI_PACK), 'not brotli');
  await assert.rejects(installCli({ home: join(dir, 'home-packed'), distDir: dist, version: '2.0.0', runtime: process.execPath }), /does not carry its command line/);
  await writePack(dist, { 'cli.js': '// cli\n', 'proxy.js': '// proxy\n' }, ['sdk.js']);
  await installCli({ home: join(dir, 'home-packed'), distDir: dist, version: '2.0.0', runtime: process.execPath });
  const lib = join(dir, 'home-packed', '.aws', 'aws-sso-profiles', 'lib');
  const [installed] = await readdir(lib);
  assert.deepEqual((await readdir(join(lib, installed))).sort(), ['cli.js', 'proxy.js', 'sdk.js']);
  assert.equal(await readFile(join(lib, installed, 'sdk.js'), 'utf8'), '// sdk\n');
});

test('installCli: private copies, a launcher that runs them, nothing rewritten when unchanged, old versions removed', { skip: process.platform === 'win32' }, async () => {
  const home = join(dir, 'home dir');
  const dist = join(dir, 'dist');
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'sdk.js'), '');
  await writePack(dist, { 'cli.js': 'require("./cli-commands.js"); process.stdout.write(JSON.stringify({ argv: process.argv.slice(2), electron: process.env.ELECTRON_RUN_AS_NODE ?? null }));\n', 'cli-commands.js': '' }, ['sdk.js']);
  const first = await installCli({ home, distDir: dist, version: '1.0.0', runtime: process.execPath });
  assert.equal(first.changed, true);
  assert.equal(first.launcher, join(home, '.aws', 'aws-sso-profiles', 'bin', 'aws-sso-profiles'));
  assert.equal((await stat(first.launcher)).mode & 0o777, 0o700);
  assert.equal((await stat(join(home, '.aws', 'aws-sso-profiles', 'lib'))).mode & 0o777, 0o700);
  const r = await promisify(execFile)(first.launcher, ['credentials', '--profile', 'a b'], { env: { PATH: '/nonexistent' } });
  assert.deepEqual(JSON.parse(r.stdout), { argv: ['credentials', '--profile', 'a b'], electron: '1' });

  assert.equal((await installCli({ home, distDir: dist, version: '1.0.0', runtime: process.execPath })).changed, false);

  // A new bundle: a new version folder, the old one gone.
  await writePack(dist, { 'cli.js': 'process.stdout.write("v2");\n' }, ['sdk.js']);
  const second = await installCli({ home, distDir: dist, version: '1.0.1', runtime: process.execPath });
  assert.equal(second.changed, true);
  assert.equal((await readdir(join(home, '.aws', 'aws-sso-profiles', 'lib'))).length, 1);
  assert.equal((await promisify(execFile)(second.launcher, [], { env: { PATH: '/nonexistent' } })).stdout, 'v2');
  // The editor's runtime gone (it moved with an update): node from PATH runs it.
  await installCli({ home, distDir: dist, version: '1.0.1', runtime: join(dir, 'gone', 'node') });
  assert.equal((await promisify(execFile)(second.launcher, [], { env: { PATH: join(process.execPath, '..') } })).stdout, 'v2');
  // Neither: one line saying what to do, exit 1.
  await assert.rejects(promisify(execFile)(second.launcher, [], { env: { PATH: '/nonexistent' } }), (e: { code?: number; stderr?: string }) => {
    assert.equal(e.code, 1);
    assert.match(e.stderr ?? '', /^aws-sso-profiles: no Node\.js to run on\. [^\n]*\n$/);
    return true;
  });
  assert.match(await readFile(second.launcher, 'utf8'), /^#!\/bin\/sh\n/);
});

test('installCli: a rename Windows refuses at first is retried; another window that installed first wins; a failure leaves no temporary folder', { skip: process.platform === 'win32' }, async () => {
  const dist = join(dir, 'dist-race');
  await mkdir(dist, { recursive: true });
  await writeFile(join(dist, 'sdk.js'), '');
  await writePack(dist, { 'cli.js': '// ours\n' }, ['sdk.js']);
  const errno = (code: string) => Object.assign(new Error(code), { code });
  const libOf = (home: string) => join(home, '.aws', 'aws-sso-profiles', 'lib');

  // Windows: refused twice (a scanner holds a file just written), then done.
  let refusals = 0;
  const windows = { platform: 'win32' as const, sleepSync: () => {}, renameSync: (from: string, to: string) => { if (refusals++ < 2) throw errno('EPERM'); renameSync(from, to); } };
  await installCli({ home: join(dir, 'home-win'), distDir: dist, version: '3.0.0', runtime: process.execPath, platform: 'linux', layer: windows });
  const [installed] = await readdir(libOf(join(dir, 'home-win')));
  assert.equal(await readFile(join(libOf(join(dir, 'home-win')), installed, 'cli.js'), 'utf8'), '// ours\n');
  assert.equal(refusals, 3);

  // Another window's install took the name between our check and our rename.
  const raced = { platform: 'linux' as const, sleepSync: () => {}, renameSync: (_from: string, to: string) => { mkdirSync(to); writeFileSync(join(to, 'cli.js'), '// theirs\n'); throw errno('ENOTEMPTY'); } };
  await installCli({ home: join(dir, 'home-race'), distDir: dist, version: '3.0.0', runtime: process.execPath, platform: 'linux', layer: raced });
  const names = await readdir(libOf(join(dir, 'home-race')));
  assert.equal(names.length, 1, `no temporary folder left: ${names.join(', ')}`);
  assert.equal(await readFile(join(libOf(join(dir, 'home-race')), names[0], 'cli.js'), 'utf8'), '// theirs\n');

  // A rename that fails for good: the error, and nothing half-installed.
  const broken = { platform: 'linux' as const, sleepSync: () => {}, renameSync: () => { throw errno('EACCES'); } };
  await assert.rejects(installCli({ home: join(dir, 'home-broken'), distDir: dist, version: '3.0.0', runtime: process.execPath, platform: 'linux', layer: broken }), /EACCES/);
  assert.deepEqual(await readdir(libOf(join(dir, 'home-broken'))), []);
});

test('the Windows launcher sets ELECTRON_RUN_AS_NODE, falls back to node, refuses paths cmd.exe would expand', () => {
  const s = launcherScript('win32', 'C:\\Program Files\\Code\\Code.exe', 'C:\\Users\\a b\\.aws\\aws-sso-profiles\\lib\\1\\cli.js', '1');
  assert.match(s, /^@echo off\r\n/);
  assert.match(s, /set "ELECTRON_RUN_AS_NODE=1"/);
  assert.match(s, /"C:\\Program Files\\Code\\Code.exe" "C:\\Users\\a b\\.aws\\aws-sso-profiles\\lib\\1\\cli.js" %\*/);
  assert.throws(() => launcherScript('win32', 'C:\\%x%\\node.exe', 'c', '1'), (e) => isSsoError(e, 'InvalidInput'));
});
