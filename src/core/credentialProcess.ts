// credential_process: the JSON a credential process prints, and the `[profile NAME-process]` line
// that runs one, for the AWS CLI's `aws configure export-credentials` or our own command line.
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { SsoError } from './errors';
import type { RoleCredentials } from './types';

/**
 * The AWS CLI's `isoformat()` of an SSO role's expiry: `2026-12-03T12:00:00+00:00`, in whole
 * seconds, since botocore keeps it as `%Y-%m-%dT%H:%M:%SZ` text (cached or not).
 */
function pyIsoUtc(ms: number): string {
  return `${new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19)}+00:00`;
}

/**
 * What `aws configure export-credentials --format process` prints (awscli exportcreds.py:
 * `json.dumps(…, indent=2, separators=(',', ': '))` and a newline): `Version` 1, the keys, and
 * `Expiration`, which the SDKs use to know when to run the process again. Holds secrets: stdout only.
 */
export function formatCredentialsAsProcessJson(creds: RoleCredentials): string {
  checkValues(creds);
  const out: Record<string, unknown> = { Version: 1, AccessKeyId: creds.accessKeyId, SecretAccessKey: creds.secretAccessKey, SessionToken: creds.sessionToken };
  if (Number.isFinite(creds.expiration)) out.Expiration = pyIsoUtc(creds.expiration);
  return `${JSON.stringify(out, null, 2)}\n`;
}

/** The SDKs' own credential shape (`accessKeyId`, …, `expiration` as ISO text), for scripts. */
export function formatCredentialsAsJson(creds: RoleCredentials): string {
  checkValues(creds);
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = creds;
  return `${JSON.stringify({ accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration).toISOString() }, null, 2)}\n`;
}

function checkValues(creds: RoleCredentials): void {
  for (const k of ['accessKeyId', 'secretAccessKey', 'sessionToken'] as const) {
    if (typeof creds[k] !== 'string' || creds[k] === '') throw new SsoError('BadResponse', `The role credentials have no ${k}.`);
  }
}

// ---------------------------------------------------------------------------------------------
// The command line

/** What runs the process: the AWS CLI v2 (≥ 2.9, which has export-credentials) or our launcher. */
export type ProcessRunner = { kind: 'aws-cli'; path: string; version: string } | { kind: 'ours'; path: string };

/**
 * Words that read as themselves both in a POSIX shell (the JavaScript SDK runs the line with
 * `child_process.exec`, i.e. `/bin/sh -c`) and in Python's shlex.split (botocore's
 * compat_shell_split). Profile names (names.ts) are made of these.
 */
const PLAIN_POSIX = /^[A-Za-z0-9_@%+=:,./-]+$/;

function quotePosix(word: string): string {
  return PLAIN_POSIX.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
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

export const CREDENTIAL_FORMATS = ['process', 'env', 'json'] as const;
export type CredentialFormat = (typeof CREDENTIAL_FORMATS)[number];

export function isCredentialFormat(v: string): v is CredentialFormat {
  return (CREDENTIAL_FORMATS as readonly string[]).includes(v);
}
