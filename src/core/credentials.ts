// Role credentials out of the extension: `aws configure set` commands to paste, or a
// credentials-file profile (the environment and `.env` forms are ./credentialFormats.ts's).
//
// The shared credentials file (~/.aws/credentials) is edited losslessly, by the config file's
// planner (config/edit.ts setSectionPairs) under this file's own rules.
//
// Everything the service returns is treated as hostile: values are checked and quoted so that
// no shell metacharacter in them is ever interpreted. Error messages name the field, never its
// value.
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { chmod, stat } from 'node:fs/promises';
import { ConfigFile } from './config/configFile';
import { FileRules, managedHeaders, removeManagedSections, removeSections, setSectionPairs, upsertManagedSection } from './config/edit';
import { findLongTermKeys } from './migration';
import { assertRegion } from './endpoints';
import { SsoError } from './errors';
import { replaceFileSync, tempNameFor } from './fsutil';
import { HOST_PLATFORM, usesPosixModes } from './platform';
import { credentialsProfileNameProblem, MAX_NAME_LENGTH, NAME_CHARS_TEXT } from './names';
import { RoleCredentials } from './types';
import { checkCredentials, cmdCanCarry, FIELDS, quoteBash, quotePowerShell, type Shell } from './credentialFormats';

export { cmdCanCarry, formatCredentialsAsDotenv, formatCredentialsAsEnv, quoteBash, type Shell } from './credentialFormats';

/**
 * What `aws configure set` passes on unchanged: argparse takes a word starting with `-` for an
 * option, and the CLI loads a value written as a URI (`file://…`, `fileb://…`) from where it
 * points instead of taking it as it is.
 */
function checkCliArgument(value: string, words: string): void {
  if (value.startsWith('-') || /^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new SsoError('BadResponse', `The ${words} cannot be passed to aws configure set as it is.`);
  }
}

/**
 * One argument of a native command. PowerShell passes a single-quoted string on unchanged, except
 * that Windows PowerShell 5.1 drops the double quotes inside it. cmd.exe leaves the double quotes
 * to the program, whose C runtime reads backslashes before a quote as escapes: the trailing ones
 * are doubled so the closing quote still closes.
 */
function quoteArgument(shell: Shell, v: string, refused: () => SsoError): string {
  switch (shell) {
    case 'bash':
      return quoteBash(v);
    case 'powershell':
      if (v.includes('"')) throw refused();
      return quotePowerShell(v);
    case 'cmd':
      if (!cmdCanCarry(v)) throw refused();
      return `"${v.replace(/\\+$/, (s) => s + s)}"`;
  }
}

/**
 * `aws configure set` commands, one per line without a trailing newline: run, they write the keys
 * to `[NAME]` in the credentials file (and the region, when given, to `[profile NAME]` in the
 * config file) with the AWS CLI's own writer. The access portal's third way. The profile name follows the
 * credentials file's rule (names.ts); one starting with `-` is passed as `--profile=NAME`, the
 * only form argparse takes it in. Throws SsoError 'InvalidInput' for the name or region,
 * 'BadResponse' for a credential the file or the command line cannot carry. The result holds
 * secrets: for the clipboard or a terminal only.
 */
export function formatCredentialsAsConfigureCommands(creds: RoleCredentials, shell: Shell, profile: string, opts: { region?: string } = {}): string {
  checkProfileName(profile);
  checkCredentials(creds);
  const shellName = { bash: 'bash', powershell: 'PowerShell', cmd: 'cmd.exe' }[shell];
  const nameRefused = () => new SsoError('InvalidInput', `The profile name ${JSON.stringify(profile)} cannot be written safely for ${shellName}. Use another name or shell.`);
  const profileArg = profile.startsWith('-') ? quoteArgument(shell, `--profile=${profile}`, nameRefused) : `--profile ${quoteArgument(shell, profile, nameRefused)}`;
  const pairs: Array<[string, string, string]> = FIELDS.map(([field, , key, words]) => [key, creds[field], words]);
  if (opts.region !== undefined) {
    assertRegion(opts.region);
    pairs.push(['region', opts.region, 'region']);
  }
  return pairs
    .map(([key, value, words]) => {
      checkFileValue(value, words);
      checkCliArgument(value, words);
      const refused = () => new SsoError('BadResponse', `The ${words} contains characters that cannot be written safely for ${shellName}. Use another shell.`);
      return `aws configure set ${key} ${quoteArgument(shell, value, refused)} ${profileArg}`;
    })
    .join('\n');
}

// ---------------------------------------------------------------------------------------------
// The shared credentials file

/**
 * Profile names every AWS SDK reads in the credentials file (names.ts). There the section name is
 * the profile name itself (`[dev]`, no `profile ` prefix: botocore would take `[profile dev]` as a
 * profile called "profile dev", and the JavaScript SDK as something else again).
 */
function checkProfileName(name: string): void {
  if (credentialsProfileNameProblem(name) !== undefined) {
    throw new SsoError(
      'InvalidInput',
      `${JSON.stringify(name)} cannot be used as a profile name in the credentials file: use 1 to ${MAX_NAME_LENGTH} ${NAME_CHARS_TEXT} only.`,
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

/**
 * How the credentials file is written. Tools that read only this file (the JavaScript SDK among
 * them) must read the keys we set, so a line they cannot read is rewritten; a new section follows
 * one blank line, and the file ends with a newline once we add to it. A profile defined twice is a
 * config-file notion: sections here are addressed by their exact header.
 */
const CREDENTIALS_FILE: FileRules = {
  what: 'credentials file',
  sdkKeys: true,
  alwaysBlankBefore: false,
  addFinalNewline: true,
  namesProfiles: false,
};

/**
 * Sets `pairs` in the credentials-file section whose header is exactly `name`, adding the
 * section at the end when there is none. Every other byte stays as it was. Pure; exported for
 * tests and for callers that hold the text themselves.
 */
export function setCredentialsSection(text: string, name: string, pairs: ReadonlyArray<[string, string]>): string {
  checkProfileName(name);
  return setSectionPairs(text, name, pairs, CREDENTIALS_FILE);
}

/**
 * The credentials-file text with each section in `repoint` assuming its role from another profile (only
 * its `source_profile` line changes) and the sections in `remove` removed whole, hand-written or not: both
 * only on the user's word (a migration's broken dependents). Every other byte stays.
 */
export function fixCredentialsDependents(text: string, repoint: ReadonlyArray<{ profile: string; sourceProfile: string }>, remove: readonly string[]): string {
  let out = text;
  for (const r of repoint) {
    checkProfileName(r.sourceProfile);
    out = setSectionPairs(out, r.profile, [['source_profile', r.sourceProfile]], CREDENTIALS_FILE);
  }
  return removeSections(out, remove, CREDENTIALS_FILE);
}

/** The key lines of a credentials-file section (and `region`), every value checked. */
function credentialPairs(creds: RoleCredentials, region: string | undefined): Array<[string, string]> {
  checkCredentials(creds);
  const pairs: Array<[string, string]> = FIELDS.map(([field, , key, words]) => {
    checkFileValue(creds[field], words);
    return [key, creds[field]];
  });
  if (region !== undefined) {
    assertRegion(region);
    pairs.push(['region', region]);
  }
  return pairs;
}

/**
 * The file is about to hold a secret: no one else may read it. Tightened before the edit so the
 * rewritten file (which keeps the mode it finds) and its backup are private too.
 */
async function makePrivate(credentialsFile: string): Promise<void> {
  try {
    const st = await stat(credentialsFile);
    if (usesPosixModes(HOST_PLATFORM) && (st.mode & 0o077) !== 0) await chmod(credentialsFile, st.mode & 0o700);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new SsoError('ConfigFile', `Cannot make ${credentialsFile} private: ${(e as NodeJS.ErrnoException).code ?? 'error'}. The file was not changed.`);
    }
  }
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
  const pairs = credentialPairs(creds, opts.region);
  await makePrivate(credentialsFile);
  const file = new ConfigFile(credentialsFile, { beforeCommit: opts.beforeCommit });
  const r = await file.edit((text) => setCredentialsSection(text, profileName, pairs));
  return r.backupPath ? { backupPath: r.backupPath } : {};
}

// ---------------------------------------------------------------------------------------------
// Kept-fresh sections: short-term keys we write, renew and remove, marked with the config file's
// managed key (botocore and the JavaScript SDK ignore keys they do not know, in this file too).

/**
 * Writes or renews `[name]` as a section of ours (see writeCredentialsProfile for the file's
 * treatment). Refuses (SsoError 'InvalidInput', nothing written) a section that holds long-term
 * keys, pointing at the migration check, and any other section we did not write.
 */
export async function writeKeptFreshSection(
  credentialsFile: string,
  name: string,
  creds: RoleCredentials,
  opts: WriteCredentialsOptions = {},
): Promise<void> {
  checkProfileName(name);
  const pairs = credentialPairs(creds, opts.region);
  await makePrivate(credentialsFile);
  const file = new ConfigFile(credentialsFile, { beforeCommit: opts.beforeCommit });
  await file.edit((text) => {
    const long = findLongTermKeys(text, '').find((k) => k.file === 'credentials' && k.profile === name);
    if (long) {
      throw new SsoError(
        'InvalidInput',
        `[${name}] in the credentials file holds long-term access keys (${long.accessKeyIdMasked}); it was left as it is. Run "Check for Long-Term Access Keys" to move off them, or choose another name.`,
      );
    }
    return upsertManagedSection(text, name, pairs, CREDENTIALS_FILE);
  });
}

/** The names of the sections of ours in the credentials file's text. */
export function keptFreshSections(text: string): string[] {
  return managedHeaders(text);
}

/**
 * Removes our sections named in `names` (every section of ours when `names` is 'all'); any other
 * section stays byte for byte. The names it removed.
 */
export async function removeKeptFreshSections(credentialsFile: string, names: Iterable<string> | 'all'): Promise<string[]> {
  let removed: string[] = [];
  const file = new ConfigFile(credentialsFile);
  await file.edit((text) => {
    const ours = keptFreshSections(text);
    const wanted = names === 'all' ? ours : [...names].filter((n) => ours.includes(n));
    removed = wanted;
    return removeManagedSections(text, wanted, CREDENTIALS_FILE);
  });
  return removed;
}

/**
 * removeKeptFreshSections, synchronously: for the editor's deactivate(), which must not leave live
 * keys behind and is given little time. Atomic (temporary file, rename) and private; no backup
 * (the keys removed are ours and short-lived). Never throws: the names it removed, or [].
 */
export function removeKeptFreshSectionsSync(credentialsFile: string, names: Iterable<string> | 'all'): string[] {
  try {
    const text = readFileSync(credentialsFile, 'utf8');
    const ours = keptFreshSections(text);
    const wanted = names === 'all' ? ours : [...names].filter((n) => ours.includes(n));
    if (wanted.length === 0) return [];
    const next = removeManagedSections(text, wanted, CREDENTIALS_FILE);
    const posixModes = usesPosixModes(HOST_PLATFORM);
    const mode = posixModes ? statSync(credentialsFile).mode & 0o700 : 0o600;
    const tmp = tempNameFor(credentialsFile);
    try {
      writeFileSync(tmp, next, { mode, flag: 'wx' });
      if (posixModes) chmodSync(tmp, mode);
      replaceFileSync(tmp, credentialsFile);
    } catch (e) {
      rmSync(tmp, { force: true });
      throw e;
    }
    return wanted;
  } catch {
    return [];
  }
}
