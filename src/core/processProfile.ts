// An opt-in `[profile NAME-process]` whose credential_process prints a role's credentials, for
// tools that can run a command but not sign in to IAM Identity Center: the command is the AWS CLI
// v2's `aws configure export-credentials` when one that has it is installed, else our own command
// line, installed under ~/.aws so that it outlives the extension's folder (which changes with
// every update) and works in a terminal without the editor.
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { delimiter, isAbsolute, join } from 'node:path';
import { brotliDecompressSync } from 'node:zlib';
import { profileHeader, upsertManagedSection } from './config/edit';
import { quoteBash } from './credentialFormats';
import { assertRegion } from './endpoints';
import { SsoError } from './errors';
import { ensurePrivateDir, FileLayer, replaceFileSync, writeFileAtomic } from './fsutil';
import { MAX_NAME_LENGTH, NAME_CHARS_TEXT, profileNameProblem } from './names';


/** What runs the process: the AWS CLI v2 (≥ 2.9, which has export-credentials) or our launcher. */
export type ProcessRunner = { kind: 'aws-cli'; path: string; version: string } | { kind: 'ours'; path: string };

/**
 * Words that read as themselves both in a POSIX shell (the JavaScript SDK runs the line with
 * `child_process.exec`, i.e. `/bin/sh -c`) and in Python's shlex.split (botocore's
 * compat_shell_split). Profile names (names.ts) are made of these.
 */
const PLAIN_POSIX = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quotePosix(word: string): string {
  return PLAIN_POSIX.test(word) ? word : quoteBash(word);
}

/**
 * Windows: botocore splits as the C runtime does and the SDK hands the line to cmd.exe. Double
 * quotes mean the same to both; a `"` or `%` inside (cmd.exe expands `%VAR%`) cannot be carried.
 */
function quoteWindows(word: string): string {
  if (/["%\r\n]/.test(word)) throw new SsoError('InvalidInput', `${JSON.stringify(word)} cannot be written safely in a Windows credential_process line.`);
  return /^[A-Za-z0-9_@+=:,./\\-]+$/.test(word) ? word : `"${word}"`;
}

/** The `credential_process` value for `profile` (the SSO profile the process resolves). */
export function credentialProcessLine(runner: ProcessRunner, profile: string, platform: NodeJS.Platform = process.platform): string {
  const quote = platform === 'win32' ? quoteWindows : quotePosix;
  const words =
    runner.kind === 'aws-cli'
      ? [runner.path, 'configure', 'export-credentials', '--profile', profile, '--format', 'process']
      : [runner.path, 'credentials', '--profile', profile, '--format', 'process'];
  return words.map(quote).join(' ');
}

/** The first release of the AWS CLI v2 with `aws configure export-credentials`. */
const EXPORT_CREDENTIALS_SINCE = [2, 9, 0];

/** Whether `aws --version` output names a CLI that has export-credentials. */
export function awsCliHasExportCredentials(versionOutput: string): string | undefined {
  const m = /^aws-cli\/(\d+)\.(\d+)\.(\d+)/.exec(versionOutput.trim());
  if (!m) return undefined;
  const v = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (v[0] !== EXPORT_CREDENTIALS_SINCE[0]) return undefined;
  for (let i = 1; i < 3; i++) {
    if (v[i] !== EXPORT_CREDENTIALS_SINCE[i]) return v[i] > EXPORT_CREDENTIALS_SINCE[i] ? v.join('.') : undefined;
  }
  return v.join('.');
}

/** Every `aws` (or `aws.exe`/`aws.cmd`) on PATH, in PATH order, as absolute paths. */
export function awsOnPath(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string[] {
  const dirs = (env.PATH ?? env.Path ?? '').split(platform === 'win32' ? ';' : delimiter).filter((d) => d && isAbsolute(d));
  const names = platform === 'win32' ? ['aws.exe', 'aws.cmd'] : ['aws'];
  const out: string[] = [];
  for (const d of dirs) {
    for (const n of names) {
      const f = join(d, n);
      try {
        accessSync(f, constants.X_OK);
        if (!out.includes(f)) out.push(f);
      } catch {
        // not here
      }
    }
  }
  return out;
}

let found: Promise<ProcessRunner | undefined> | undefined;

/**
 * The first AWS CLI on PATH that has export-credentials, by its absolute path (a tool that runs
 * credential_process may have another PATH, and an AWS CLI v1 first on PATH must not win).
 * Asked once per process: `aws --version` takes a good part of a second.
 */
export function findAwsCliWithExport(env: NodeJS.ProcessEnv = process.env, opts: { fresh?: boolean } = {}): Promise<ProcessRunner | undefined> {
  if (found && !opts.fresh) return found;
  found = (async () => {
    for (const path of awsOnPath(env)) {
      const out = await new Promise<string>((resolve) =>
        execFile(path, ['--version'], { env: { ...env, AWS_PAGER: '' }, timeout: 15_000, windowsHide: true }, (err, stdout, stderr) =>
          resolve(err ? '' : `${stdout}${stderr}`),
        ),
      );
      const version = awsCliHasExportCredentials(out);
      if (version) return { kind: 'aws-cli' as const, path, version };
    }
    return undefined;
  })();
  return found;
}


// ---------------------------------------------------------------------------------------------
// The profile

/** The suffix of a process profile's name: `[profile dev-process]` runs the credentials of `dev`. */
export const PROCESS_SUFFIX = '-process';

/**
 * Writes `[profile NAME]` with `credential_process` (and `region`, when given), marked as ours;
 * a profile of that name we did not write is refused (SsoError 'InvalidInput'). Pure.
 */
export function writeProcessProfile(text: string, spec: { name: string; line: string; region?: string }): string {
  if (profileNameProblem(spec.name) !== undefined) {
    throw new SsoError('InvalidInput', `${JSON.stringify(spec.name)} cannot be a profile name: use 1 to ${MAX_NAME_LENGTH} ${NAME_CHARS_TEXT} only.`);
  }
  if (/[\r\n]/.test(spec.line) || spec.line.trim() !== spec.line || spec.line === '') throw new SsoError('InvalidInput', 'The credential_process command cannot be written on one line.');
  const pairs: Array<[string, string]> = [['credential_process', spec.line]];
  if (spec.region !== undefined) {
    assertRegion(spec.region);
    pairs.push(['region', spec.region]);
  }
  return upsertManagedSection(text, profileHeader(spec.name), pairs);
}

// ---------------------------------------------------------------------------------------------
// Our command line under ~/.aws

/** The bundles the command line runs from (dist/cli.js requires the other two on first use). */
/**
 * The command line as the build packs it for the extension (esbuild.config.mjs CLI_PACK, from
 * filesOf('cli.js')): Brotli-compressed JSON `{ files: {name: text}, shared: [name] }`; `shared` are
 * bundles the extension ships itself (sdk.js), copied from its dist/.
 */
export const CLI_PACK = 'cli-pack.json.br';

function noPack(distDir: string): SsoError {
  return new SsoError('Unexpected', `This build of the extension does not carry its command line (${join(distDir, CLI_PACK)}); reinstall the extension.`);
}

async function cliFiles(distDir: string, packed: Uint8Array): Promise<Array<[string, Uint8Array | string]>> {
  const bad = () => noPack(distDir);
  let pack: { files?: unknown; shared?: unknown };
  try {
    pack = JSON.parse(brotliDecompressSync(packed).toString('utf8')) as typeof pack;
  } catch {
    throw bad();
  }
  const name = (f: unknown): f is string => typeof f === 'string' && /^[\w.-]+\.js$/.test(f);
  const files = pack.files && typeof pack.files === 'object' ? Object.entries(pack.files as Record<string, unknown>) : [];
  const shared = Array.isArray(pack.shared) ? pack.shared : [];
  if (!files.every(([f, text]) => name(f) && typeof text === 'string') || !shared.every(name) || !files.some(([f]) => f === 'cli.js')) throw bad();
  const out: Array<[string, Uint8Array | string]> = files as Array<[string, string]>;
  for (const f of shared as string[]) out.push([f, await readFile(join(distDir, f))]);
  return out;
}

export interface CliInstall {
  /** The launcher to name in credential_process. */
  launcher: string;
  /** Whether anything was written. */
  changed: boolean;
}

/** `~/.aws/aws-sso-profiles`: the launcher in bin/, each version's bundles in lib/<version>-<hash>/. */
export function installRoot(home: string): string {
  return join(home, '.aws', 'aws-sso-profiles');
}

/**
 * The launcher. It runs the bundle on the runtime that installed it (the editor's; VS Code's is
 * Electron, which runs as Node.js with ELECTRON_RUN_AS_NODE) while that still exists: each start of
 * the editor rewrites the launcher when the path changed. Else on `node` from PATH. Else it says
 * what to do, on one line, and fails.
 */
export function launcherScript(platform: NodeJS.Platform, runtime: string, cli: string, version: string): string {
  const missing = 'aws-sso-profiles: no Node.js to run on. Start the editor once, or install Node.js 20 or later.';
  if (platform === 'win32') {
    for (const p of [runtime, cli]) if (/["%\r\n]/.test(p)) throw new SsoError('InvalidInput', `The path ${JSON.stringify(p)} cannot be written in a .cmd file.`);
    return [
      '@echo off',
      `rem aws-sso-profiles ${version}, installed by the AWS SSO Profiles extension; rewritten when it updates.`,
      'setlocal',
      'set "ELECTRON_RUN_AS_NODE=1"',
      `if exist "${runtime}" (`,
      `  "${runtime}" "${cli}" %*`,
      ') else (',
      '  where node >nul 2>nul || (echo ' + missing + ' 1>&2 & exit /b 1)',
      `  node "${cli}" %*`,
      ')',
      'exit /b %ERRORLEVEL%',
      '',
    ].join('\r\n');
  }
  return [
    '#!/bin/sh',
    `# aws-sso-profiles ${version}, installed by the AWS SSO Profiles extension; rewritten when it updates.`,
    `cli=${quoteBash(cli)}`,
    `runtime=${quoteBash(runtime)}`,
    'if [ -x "$runtime" ]; then',
    '  ELECTRON_RUN_AS_NODE=1',
    '  export ELECTRON_RUN_AS_NODE',
    '  exec "$runtime" "$cli" "$@"',
    'fi',
    'if command -v node >/dev/null 2>&1; then exec node "$cli" "$@"; fi',
    `echo ${quoteBash(missing)} >&2`,
    'exit 1',
    '',
  ].join('\n');
}

/**
 * Unpacks the command line from `distDir` (CLI_PACK) to lib/<version>-<hash of the pack>/ (into a
 * temporary folder first, then renamed: a reader never sees half a version) and (re)writes the
 * launcher atomically when its text changes. Older versions are removed; a version is never
 * rewritten in place. Cheap when nothing changed: one read of the pack and of the launcher.
 */
export async function installCli(o: { home: string; distDir: string; version: string; runtime: string; platform?: NodeJS.Platform; layer?: FileLayer }): Promise<CliInstall> {
  const platform = o.platform ?? process.platform;
  const root = installRoot(o.home);
  const packed = await readFile(join(o.distDir, CLI_PACK)).catch(() => undefined);
  if (!packed) throw noPack(o.distDir);
  const id = `${o.version.replace(/[^A-Za-z0-9._-]/g, '_')}-${createHash('sha256').update(packed).digest('hex').slice(0, 12)}`;
  const lib = join(root, 'lib');
  const dir = join(lib, id);
  let changed = false;
  await ensurePrivateDir(lib);
  if (!existsSync(join(dir, 'cli.js'))) {
    const tmp = join(lib, `.${id}.${process.pid}.tmp`);
    await rm(tmp, { recursive: true, force: true });
    await ensurePrivateDir(tmp);
    try {
      for (const [f, data] of await cliFiles(o.distDir, packed)) await writeFileAtomic(join(tmp, f), data, 0o600);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      throw e;
    }
    await rm(dir, { recursive: true, force: true });
    try {
      // Windows refuses a rename while a scanner still holds a file just written: retried as every replacement is.
      replaceFileSync(tmp, dir, o.layer);
    } catch (e) {
      await rm(tmp, { recursive: true, force: true });
      // Another window installed the same version meanwhile (its folder took the name first): as good as ours.
      if (!existsSync(join(dir, 'cli.js'))) throw e;
    }
    changed = true;
  }
  const bin = join(root, 'bin');
  await ensurePrivateDir(bin);
  const launcher = join(bin, platform === 'win32' ? 'aws-sso-profiles.cmd' : 'aws-sso-profiles');
  const script = launcherScript(platform, o.runtime, join(dir, 'cli.js'), o.version);
  const current = await readFile(launcher, 'utf8').catch(() => undefined);
  if (current !== script) {
    await writeFileAtomic(launcher, script, 0o700);
    changed = true;
  }
  // Versions the launcher no longer names. A command that started on one a moment ago has loaded
  // cli.js already; it would miss only a lazily required bundle, and the tool runs it again.
  for (const old of await readdir(lib)) {
    if (old !== id && !old.startsWith('.')) await rm(join(lib, old), { recursive: true, force: true });
  }
  return { launcher, changed };
}

/** Whether our command line is installed (the launcher exists): for refreshing it at start, not installing it. */
export function cliInstalled(home: string, platform: NodeJS.Platform = process.platform): boolean {
  return existsSync(join(installRoot(home), 'bin', platform === 'win32' ? 'aws-sso-profiles.cmd' : 'aws-sso-profiles'));
}

