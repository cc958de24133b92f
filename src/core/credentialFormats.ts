// Role credentials as text to paste: shell commands that set the environment, and `.env` lines.
// Apart from ./credentials.ts (the credentials file, `aws configure set` lines) so that the command
// line's `credentials --format env` loads neither the config planner nor the migration rules.
//
// Everything the service returns is treated as hostile: values are checked and quoted so that
// no shell metacharacter in them is ever interpreted. Error messages name the field, never its
// value.
import { assertRegion } from './endpoints';
import { SsoError } from './errors';
import type { RoleCredentials } from './types';

export type Shell = 'bash' | 'powershell' | 'cmd';

export const FIELDS = [
  ['accessKeyId', 'AWS_ACCESS_KEY_ID', 'aws_access_key_id', 'access key ID'],
  ['secretAccessKey', 'AWS_SECRET_ACCESS_KEY', 'aws_secret_access_key', 'secret access key'],
  ['sessionToken', 'AWS_SESSION_TOKEN', 'aws_session_token', 'session token'],
] as const;

// Control characters (line breaks included) have no business in a credential and would end a
// line in the file or split a command.
const CONTROL_RE = /[\x00-\x1f\x7f\x85\u2028\u2029]/;

export function checkCredentials(creds: RoleCredentials): void {
  for (const [field, , , words] of FIELDS) {
    const v = (creds as unknown as Record<string, unknown>)[field];
    if (typeof v !== 'string' || v === '') throw new SsoError('BadResponse', `The role credentials have no ${words}.`);
    if (CONTROL_RE.test(v)) throw new SsoError('BadResponse', `The ${words} of the role credentials contains a control character.`);
  }
}

/** POSIX shells: inside single quotes nothing is special; a quote is closed, escaped and reopened. */
export function quoteBash(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * PowerShell: a single-quoted string expands nothing; its only escape is a doubled quote, and
 * PowerShell also takes the typographic single quotes (U+2018–U+201B) as quotes.
 */
export function quotePowerShell(v: string): string {
  return `'${v.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * cmd.exe: inside double quotes & | < > ( ) stay literal, but nothing can stop `%VAR%` (or
 * `!VAR!` under delayed expansion) from expanding, and a `"` ends the quoting. No real
 * credential contains those, so a value that does is refused rather than written.
 */
export function cmdCanCarry(v: string): boolean {
  return !/["%!^]|[^\x20-\x7e]/.test(v);
}

function quoteCmd(name: string, v: string, words: string): string {
  if (!cmdCanCarry(v)) {
    throw new SsoError('BadResponse', `The ${words} contains characters that cannot be written safely for cmd.exe. Use another shell.`);
  }
  return `set "${name}=${v}"`;
}

function line(shell: Shell, name: string, value: string, words: string): string {
  switch (shell) {
    case 'bash':
      return `export ${name}=${quoteBash(value)}`;
    case 'powershell':
      return `$Env:${name} = ${quotePowerShell(value)}`;
    case 'cmd':
      return quoteCmd(name, value, words);
  }
}

/**
 * Commands that set the credentials (and the region, when given) in a shell, one per line,
 * without a trailing newline. Includes `AWS_CREDENTIAL_EXPIRATION`, which the AWS SDKs read.
 * The result holds secrets: put it on the clipboard or into a terminal, never into a log.
 */
export function formatCredentialsAsEnv(creds: RoleCredentials, shell: Shell, opts: { region?: string } = {}): string {
  return envVars(creds, opts).map(([name, value, words]) => line(shell, name, value, words)).join('\n');
}

/** The variables, values and their names for messages that the shell and `.env` formats set. */
function envVars(creds: RoleCredentials, opts: { region?: string }): Array<[string, string, string]> {
  checkCredentials(creds);
  const vars: Array<[string, string, string]> = FIELDS.map(([field, env, , words]) => [env, creds[field], words]);
  if (Number.isFinite(creds.expiration)) {
    vars.push(['AWS_CREDENTIAL_EXPIRATION', new Date(creds.expiration).toISOString(), 'expiration']);
  }
  if (opts.region !== undefined) {
    assertRegion(opts.region);
    vars.push(['AWS_REGION', opts.region, 'region'], ['AWS_DEFAULT_REGION', opts.region, 'region']);
  }
  return vars;
}

/**
 * What a `.env` value may hold: Docker's --env-file takes everything after the first `=`
 * literally, while dotenv readers trim white space, strip quotes, cut at `#` and (docker compose,
 * python-dotenv) expand `$`; backslashes and non-ASCII differ too. Only characters every one of
 * them reads as themselves are written, which real credentials (base64 text), the ISO expiry and
 * region names are made of.
 */
const DOTENV_VALUE_RE = /^[A-Za-z0-9+/=._:-]+$/;

/**
 * `KEY=VALUE` lines, each ending with a newline, for `docker run --env-file` and dotenv readers:
 * the same variables as formatCredentialsAsEnv. A value those readers would not all read as
 * written is refused (SsoError 'BadResponse', naming the field, never its value). The result
 * holds secrets: for the clipboard only; we never write it to a file.
 */
export function formatCredentialsAsDotenv(creds: RoleCredentials, opts: { region?: string } = {}): string {
  return envVars(creds, opts)
    .map(([name, value, words]) => {
      if (!DOTENV_VALUE_RE.test(value)) {
        throw new SsoError('BadResponse', `The ${words} contains characters that .env readers do not all read the same way.`);
      }
      return `${name}=${value}\n`;
    })
    .join('');
}
