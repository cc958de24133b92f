// Role credentials out of the extension: shell commands to paste, or a credentials-file profile.
//
// The shared credentials file (~/.aws/credentials) is edited losslessly.
//
// Everything the service returns is treated as hostile: values are checked and quoted so that
// no shell metacharacter in them is ever interpreted. Error messages name the field, never its
// value.
import { chmod, stat } from 'node:fs/promises';
import { ConfigFile } from './config/configFile';
import { ConfigModel, ConfigSection, describeProblems, Eol, isPySpace, parseConfig, pyIndent } from './config/model';
import { assertRegion } from './endpoints';
import { SsoError } from './errors';
import { RoleCredentials } from './types';

export type Shell = 'bash' | 'powershell' | 'cmd';

const FIELDS = [
  ['accessKeyId', 'AWS_ACCESS_KEY_ID', 'aws_access_key_id', 'access key ID'],
  ['secretAccessKey', 'AWS_SECRET_ACCESS_KEY', 'aws_secret_access_key', 'secret access key'],
  ['sessionToken', 'AWS_SESSION_TOKEN', 'aws_session_token', 'session token'],
] as const;

// Control characters (line breaks included) have no business in a credential and would end a
// line in the file or split a command.
const CONTROL_RE = /[\x00-\x1f\x7f\x85\u2028\u2029]/;

function checkCredentials(creds: RoleCredentials): void {
  for (const [field, , , words] of FIELDS) {
    const v = (creds as unknown as Record<string, unknown>)[field];
    if (typeof v !== 'string' || v === '') throw new SsoError('BadResponse', `The role credentials have no ${words}.`);
    if (CONTROL_RE.test(v)) throw new SsoError('BadResponse', `The ${words} of the role credentials contains a control character.`);
  }
}

/** POSIX shells: inside single quotes nothing is special; a quote is closed, escaped and reopened. */
function quoteBash(v: string): string {
  return `'${v.replace(/'/g, `'\\''`)}'`;
}

/**
 * PowerShell: a single-quoted string expands nothing; its only escape is a doubled quote, and
 * PowerShell also takes the typographic single quotes (U+2018–U+201B) as quotes.
 */
function quotePowerShell(v: string): string {
  return `'${v.replace(/['\u2018\u2019\u201a\u201b]/g, (q) => q + q)}'`;
}

/**
 * cmd.exe: `set "NAME=value"` keeps & | < > ( ) literal, but nothing can stop `%VAR%` (or
 * `!VAR!` under delayed expansion) from expanding, and a `"` ends the quoting. No real
 * credential contains those, so a value that does is refused rather than written.
 */
function quoteCmd(name: string, v: string, words: string): string {
  if (/["%!^]|[^\x20-\x7e]/.test(v)) {
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
  checkCredentials(creds);
  const vars: Array<[string, string, string]> = FIELDS.map(([field, env, , words]) => [env, creds[field], words]);
  if (Number.isFinite(creds.expiration)) {
    vars.push(['AWS_CREDENTIAL_EXPIRATION', new Date(creds.expiration).toISOString(), 'expiration']);
  }
  if (opts.region !== undefined) {
    assertRegion(opts.region);
    vars.push(['AWS_REGION', opts.region, 'region'], ['AWS_DEFAULT_REGION', opts.region, 'region']);
  }
  return vars.map(([name, value, words]) => line(shell, name, value, words)).join('\n');
}

// ---------------------------------------------------------------------------------------------
// The shared credentials file

/**
 * Profile names every AWS SDK reads in the credentials file. There the section name is the
 * profile name itself (`[dev]`, no `profile ` prefix: botocore would take `[profile dev]` as a
 * profile called "profile dev", and the JavaScript SDK as something else again).
 */
const NAME_RE = /^[A-Za-z0-9_\-@+.%:/]+$/;

function checkProfileName(name: string): void {
  if (typeof name !== 'string' || !NAME_RE.test(name) || name.length > 128 || name === '__proto__' || name === 'DEFAULT') {
    throw new SsoError(
      'InvalidInput',
      `${JSON.stringify(name)} cannot be used as a profile name in the credentials file: use 1 to 128 letters, digits and _ - @ + . % : / only.`,
    );
  }
}

/**
 * What may go into the file as a value: no white space (the CLI strips it at the ends, the JS
 * SDK cuts a value at ` #`), no control character. Real credentials are base64-like text.
 */
function checkFileValue(value: string, words: string): void {
  if (!/^[\x21-\x7e]+$/.test(value)) {
    throw new SsoError('BadResponse', `The ${words} contains characters that cannot be stored in the credentials file.`);
  }
}

/** The problems that make botocore refuse a credentials file (the `ambiguous-*` ones are config-file rules). */
function blockingProblems(model: Pick<ConfigModel, 'problems'>) {
  return model.problems.filter((p) => !p.code.startsWith('ambiguous-'));
}

interface Out {
  text: string;
  eol: Eol | null;
}

/**
 * Sets `pairs` in the credentials-file section whose header is exactly `name`, adding the
 * section at the end when there is none. Every other byte stays as it was. Pure; exported for
 * tests and for callers that hold the text themselves.
 */
export function setCredentialsSection(text: string, name: string, pairs: ReadonlyArray<[string, string]>): string {
  checkProfileName(name);
  const model = parseConfig(text);
  const blocking = blockingProblems(model);
  if (blocking.length > 0) {
    throw new SsoError(
      'ConfigFile',
      `The credentials file cannot be read by the AWS CLI, so it was left untouched: ${describeProblems(blocking)}. Fix the file, then try again.`,
    );
  }
  const section = model.sections.find((s) => s.header === name);
  const out = section ? updateSection(model, text, section, pairs) : appendSection(model, text, name, pairs);
  if (out === text) return text;

  // Check the result the way the CLI will read it: the same sections, only ours changed.
  const after = parseConfig(out);
  const ok =
    blockingProblems(after).length === 0 &&
    sameExcept(model, after, name) &&
    pairs.every(([k, v]) => after.sections.find((s) => s.header === name)?.options.find((o) => o.key === k)?.value === v);
  if (!ok) {
    throw new SsoError(
      'ConfigFile',
      `Refused to change the credentials file: the edit would change how the AWS CLI reads other settings near [${name}] (unusual indentation). The file was left untouched.`,
    );
  }
  return out;
}

function sameExcept(a: ConfigModel, b: ConfigModel, name: string): boolean {
  const view = (m: ConfigModel) =>
    m.sections.filter((s) => s.header !== name).map((s) => [s.header, s.options.map((o) => [o.key, o.value])]);
  const target = (m: ConfigModel) => m.sections.filter((s) => s.header === name).length;
  return JSON.stringify(view(a)) === JSON.stringify(view(b)) && target(b) === 1;
}

function join(model: ConfigModel, out: Out[]): string {
  const parts = [model.bom ? '\ufeff' : ''];
  out.forEach((l, i) => {
    const last = i === out.length - 1;
    const eol = l.eol === null || l.eol === '' ? model.eol : l.eol;
    parts.push(l.text + (last && !model.finalNewline && l.eol === '' ? '' : eol));
  });
  return parts.join('');
}

function updateSection(model: ConfigModel, text: string, s: ConfigSection, pairs: ReadonlyArray<[string, string]>): string {
  const replaced = new Map<number, Out[]>();
  const missing: Out[] = [];
  // As deep as the next header is always read as a new key; deeper could turn it into a
  // continuation line.
  const next = s.end < model.lines.length ? model.lines[s.end].text : '';
  const indent = next.slice(0, pyIndent(next));
  for (const [key, value] of pairs) {
    const opt = s.options.find((o) => o.key === key);
    if (opt && opt.value === value) continue;
    if (!opt) {
      missing.push({ text: `${indent}${key} = ${value}`, eol: null });
      continue;
    }
    const l = model.lines[opt.line];
    const delim = firstDelimiter(l.text);
    let start = delim + 1;
    while (start < l.text.length && isPySpace(l.text.charCodeAt(start))) start++;
    // The line's own layout stays when the JavaScript SDK reads it too. That SDK matches keys
    // case-sensitively and splits only at `=`, so `AWS_Access_Key_Id: x` (fine for the CLI)
    // is rewritten as `aws_access_key_id = x`. Old continuation lines go.
    const sdkReadable = l.text.charCodeAt(delim) === 61 /* = */ && l.text.slice(0, delim).trim() === key;
    const textOut = sdkReadable ? l.text.slice(0, start) + value : `${l.text.slice(0, pyIndent(l.text))}${key} = ${value}`;
    replaced.set(opt.line, [{ text: textOut, eol: l.eol }]);
    for (let k = opt.line + 1; k <= opt.lastLine; k++) if (model.lines[k].kind === 'continuation') replaced.set(k, []);
  }
  if (replaced.size === 0 && missing.length === 0) return text;
  const at = s.options.length > 0 ? s.options[s.options.length - 1].lastLine + 1 : s.line + 1;
  const out: Out[] = [];
  const n = model.lines.length;
  for (let i = 0; i <= n; i++) {
    if (i === at) out.push(...missing);
    if (i === n) break;
    const r = replaced.get(i);
    if (r) out.push(...r);
    else out.push({ text: model.lines[i].text, eol: model.lines[i].eol });
  }
  return join(model, out);
}

function firstDelimiter(s: string): number {
  const eq = s.indexOf('=');
  const colon = s.indexOf(':');
  return eq < 0 ? colon : colon < 0 ? eq : Math.min(eq, colon);
}

function appendSection(model: ConfigModel, text: string, name: string, pairs: ReadonlyArray<[string, string]>): string {
  const eol = model.eol;
  const block = [`[${name}]`, ...pairs.map(([k, v]) => `${k} = ${v}`)].join(eol);
  if (text === '' || (model.bom && text.length === 1)) return (model.bom ? '\ufeff' : '') + block + eol;
  // One blank line before the new section; the last line gets a terminator if it had none.
  const sep = model.finalNewline ? '' : eol;
  const lastBlank = model.lines.length > 0 && model.lines[model.lines.length - 1].kind === 'blank';
  return text + sep + (lastBlank ? '' : eol) + block + eol;
}

export interface WriteCredentialsOptions {
  /** Also writes `region` in the section (the AWS SDKs read it there; the CLI reads it from the config file). */
  region?: string;
  /** Passed to ConfigFile (test seam). */
  beforeCommit?: () => Promise<void>;
}

/**
 * Writes or updates `[profileName]` in the shared credentials file with `aws_access_key_id`,
 * `aws_secret_access_key` and `aws_session_token` (and `region` when given): atomic, the previous
 * file kept as `<file>.bak`, every other byte unchanged, the file mode 0600. Throws SsoError
 * 'InvalidInput' (bad name or region), 'BadResponse' (unusable credential values) or
 * 'ConfigFile' (the file cannot be read or written; it is then left as it was).
 */
export async function writeCredentialsProfile(
  credentialsFile: string,
  profileName: string,
  creds: RoleCredentials,
  opts: WriteCredentialsOptions = {},
): Promise<{ backupPath?: string }> {
  checkProfileName(profileName);
  checkCredentials(creds);
  const pairs: Array<[string, string]> = FIELDS.map(([field, , key, words]) => {
    checkFileValue(creds[field], words);
    return [key, creds[field]];
  });
  if (opts.region !== undefined) {
    assertRegion(opts.region);
    pairs.push(['region', opts.region]);
  }
  // The file now holds a secret: no one else may read it. Tightened before the edit so the
  // rewritten file (which keeps the mode it finds) and its backup are private too.
  try {
    const st = await stat(credentialsFile);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) await chmod(credentialsFile, st.mode & 0o700);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SsoError('ConfigFile', `Cannot make ${credentialsFile} private: ${(e as NodeJS.ErrnoException).code ?? 'error'}. The file was not changed.`);
    }
  }
  const file = new ConfigFile(credentialsFile, { beforeCommit: opts.beforeCommit });
  const r = await file.edit((text) => setCredentialsSection(text, profileName, pairs));
  return r.backupPath ? { backupPath: r.backupPath } : {};
}
