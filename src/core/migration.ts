// Finds long-term access keys (IAM user keys) in the AWS files and removes them losslessly.
//
// For users moving from IAM user keys to IAM Identity Center.
//
// Profile names follow botocore: in the credentials file the section header is the profile name
// (`[dev]`); in the config file profiles are `[profile dev]` and `[default]`. A `[DEFAULT]`
// section of the credentials file (configparser's defaults, inherited by every profile there) is
// reported under the name "DEFAULT".
import { lstat } from 'node:fs/promises';
import { ConfigFile } from './config/configFile';
import { applyProfiles } from './config/edit';
import { isChainedProfile, listProfiles } from './config/read';
import { ConfigModel, ConfigSection, describeProblems, isBlocking, parseConfig } from './config/model';
import { SsoError } from './errors';
import { Clock, systemClock } from './ports';

export interface LongTermKey {
  profile: string;
  file: 'credentials' | 'config';
  /** `AKIA************ABCD`: enough to recognise the key in the IAM console, not to use it. */
  accessKeyIdMasked: string;
  /** Profiles (of either file) whose `source_profile` names this one: they break when the keys go. */
  usedBy: string[];
}

const KEY_ID = 'aws_access_key_id';
const SECRET = 'aws_secret_access_key';
/** `aws_security_token` is the older spelling botocore still reads. */
const TEMPORARY_MARKERS = ['aws_session_token', 'aws_security_token'];

/** The first four and last four characters; everything else starred. Short values are starred whole. */
export function maskAccessKeyId(id: string): string {
  const v = id.trim();
  if (v.length < 12) return '*'.repeat(Math.max(v.length, 4));
  return `${v.slice(0, 4)}${'*'.repeat(v.length - 8)}${v.slice(-4)}`;
}

/** The profile a section defines in a file of that kind, or undefined when it is not a profile. */
function profileOf(s: ConfigSection, kind: 'credentials' | 'config'): string | undefined {
  if (kind === 'credentials') return s.kind === 'defaults' ? 'DEFAULT' : s.header;
  return s.kind === 'profile' ? s.name : undefined;
}

function value(s: ConfigSection, key: string): string | undefined {
  // The last one wins, as in configparser (a duplicate is a problem the CLI reports anyway).
  for (let i = s.options.length - 1; i >= 0; i--) if (s.options[i].key === key) return s.options[i].value;
  return undefined;
}

function looksLongTerm(s: ConfigSection): boolean {
  const id = value(s, KEY_ID);
  if (id === undefined || id.trim() === '') return false;
  if (TEMPORARY_MARKERS.some((k) => value(s, k) !== undefined)) return false;
  // ASIA… key IDs belong to temporary credentials even when the token is missing.
  return !/^ASIA/i.test(id.trim());
}

/**
 * Every profile holding `aws_access_key_id` without a session token, in the credentials file
 * first, then the config file, each in file order. Never throws: a file the CLI cannot read is
 * still searched as far as it parses.
 */
export function findLongTermKeys(credentialsText: string, configText: string): LongTermKey[] {
  const files = [
    { file: 'credentials' as const, model: parseConfig(credentialsText) },
    { file: 'config' as const, model: parseConfig(configText) },
  ];
  // Who points at whom: botocore merges both files into one profile map for source_profile.
  const sources = new Map<string, string[]>();
  for (const { file, model } of files) {
    for (const s of model.sections) {
      const name = profileOf(s, file);
      const src = value(s, 'source_profile');
      if (name === undefined || name === 'DEFAULT' || src === undefined) continue;
      const list = sources.get(src) ?? [];
      if (!list.includes(name)) list.push(name);
      sources.set(src, list);
    }
  }
  const out: LongTermKey[] = [];
  for (const { file, model } of files) {
    for (const s of model.sections) {
      const profile = profileOf(s, file);
      if (profile === undefined || !looksLongTerm(s)) continue;
      out.push({ profile, file, accessKeyIdMasked: maskAccessKeyId(value(s, KEY_ID)!), usedBy: sources.get(profile) ?? [] });
    }
  }
  return out;
}

/** A profile that assumes a role from a `source_profile` that cannot give it credentials. */
export interface BrokenDependent {
  profile: string;
  /** The file whose section holds its `source_profile` (the one to edit). */
  file: 'credentials' | 'config';
  sourceProfile: string;
  /** `missing`: no such profile in either file; `no-credentials`: it exists but holds none (its keys were removed). */
  reason: 'missing' | 'no-credentials';
}

/** Each profile's keys as botocore merges the two files: the config file's, then the credentials file's over them. */
function mergedProfiles(credentialsText: string, configText: string): Map<string, { keys: Map<string, string>; sourceIn: 'credentials' | 'config' }> {
  const out = new Map<string, { keys: Map<string, string>; sourceIn: 'credentials' | 'config' }>();
  for (const [file, text] of [['config', configText], ['credentials', credentialsText]] as const) {
    const model = parseConfig(text);
    const defaults = model.sections.filter((s) => s.kind === 'defaults').flatMap((s) => s.options);
    for (const s of model.sections) {
      const name = profileOf(s, file);
      if (name === undefined || name === 'DEFAULT') continue;
      const entry = out.get(name) ?? { keys: new Map<string, string>(), sourceIn: file };
      for (const o of [...defaults, ...s.options]) entry.keys.set(o.key, o.value);
      if (file === 'credentials' && s.options.some((o) => o.key === 'source_profile')) entry.sourceIn = 'credentials';
      out.set(name, entry);
    }
  }
  return out;
}

/**
 * Whether botocore can get credentials from the profile when another names it as
 * `source_profile`: static keys, SSO, credential_process, web identity, or a role assumed from a
 * credential_source or from a source profile that can (a loop cannot).
 */
function suppliesCredentials(profiles: ReturnType<typeof mergedProfiles>, name: string, seen = new Set<string>()): boolean {
  const keys = profiles.get(name)?.keys;
  if (!keys || seen.has(name)) return false;
  const has = (k: string) => (keys.get(k) ?? '').trim() !== '';
  if (has(KEY_ID) || has('sso_session') || has('sso_start_url') || has('credential_process') || has('web_identity_token_file')) return true;
  if (!has('role_arn')) return false;
  if (has('credential_source')) return true;
  seen.add(name);
  return has('source_profile') && suppliesCredentials(profiles, keys.get('source_profile')!.trim(), seen);
}

/**
 * The profiles that assume a role (`role_arn`) from a `source_profile` that is missing or holds
 * no credentials, as after its keys were removed: the AWS CLI fails on them. In file order,
 * config file first. Never throws (a file that does not parse is searched as far as it does).
 */
export function findBrokenDependents(credentialsText: string, configText: string): BrokenDependent[] {
  const profiles = mergedProfiles(credentialsText, configText);
  const out: BrokenDependent[] = [];
  for (const [profile, { keys, sourceIn }] of profiles) {
    const role = (keys.get('role_arn') ?? '').trim();
    const src = (keys.get('source_profile') ?? '').trim();
    if (role === '' || src === '' || keys.has('credential_source')) continue;
    if (suppliesCredentials(profiles, src)) continue;
    out.push({ profile, file: sourceIn, sourceProfile: src, reason: profiles.has(src) ? 'no-credentials' : 'missing' });
  }
  return out;
}

/**
 * The profiles a dependent can start from instead: the config file's IAM Identity Center profiles
 * (ours or written by hand; not chained ones), in file order. Throws SsoError('ConfigFile') when
 * the AWS CLI cannot read the file.
 */
export function ssoSourceProfiles(configText: string): string[] {
  return listProfiles(configText)
    .filter((p) => !isChainedProfile(p) && p.ssoAccountId && p.ssoRoleName && (p.ssoSession || p.keys.sso_start_url))
    .map((p) => p.name);
}

/**
 * The config-file text with each dependent in `repoint` started from another profile (only its
 * `source_profile` line changes) and the profiles in `remove` removed, hand-written or not: both
 * only on the user's word. Throws as applyProfiles.
 */
export function fixDependents(configText: string, repoint: ReadonlyArray<{ profile: string; sourceProfile: string }>, remove: readonly string[]): string {
  return applyProfiles(configText, { sourceProfiles: repoint, removals: remove, removeUnmanaged: true });
}

/**
 * Removes the `aws_access_key_id` and `aws_secret_access_key` lines (with any continuation
 * lines) of the named profiles; a section left with no key at all goes entirely, with the blank
 * lines after it. Every other byte stays. Throws SsoError('ConfigFile') when the file cannot be
 * read by the AWS CLI, or when the result would read differently anywhere else.
 */
export function removeLongTermKeys(text: string, profiles: string[], kind: 'credentials' | 'config'): string {
  const model = parseConfig(text);
  const blocking = model.problems.filter(isBlocking);
  if (blocking.length > 0) {
    throw new SsoError(
      'ConfigFile',
      `The ${kind} file cannot be read by the AWS CLI, so it was left untouched: ${describeProblems(blocking)}. Fix the file, then try again.`,
    );
  }
  const wanted = new Set(profiles);
  const drop = new Set<number>();
  const expected = new Map<ConfigSection, 'gone' | Set<string>>();
  for (const s of model.sections) {
    const name = profileOf(s, kind);
    if (name === undefined || !wanted.has(name)) continue;
    const doomed = s.options.filter((o) => o.key === KEY_ID || o.key === SECRET);
    if (doomed.length === 0) continue;
    if (doomed.length === s.options.length) {
      // Nothing else in it: the header, everything up to its last key, and the blank lines
      // after. Comments after the last key stay: they may be about the next section.
      const last = s.options[s.options.length - 1].lastLine;
      let end = last + 1;
      while (end < s.end && model.lines[end].kind === 'blank') end++;
      for (let i = s.line; i < end; i++) drop.add(i);
      expected.set(s, 'gone');
    } else {
      for (const o of doomed) {
        drop.add(o.line);
        // Comments and blank lines among a value's continuation lines are not part of it.
        for (let i = o.line + 1; i <= o.lastLine; i++) if (model.lines[i].kind === 'continuation') drop.add(i);
      }
      expected.set(s, new Set([KEY_ID, SECRET]));
    }
  }
  if (drop.size === 0) return text;
  const out = render(model, drop);
  const after = parseConfig(out);
  if (after.problems.some(isBlocking) || !readsAsExpected(model, after, expected)) {
    throw new SsoError(
      'ConfigFile',
      `Refused to change the ${kind} file: removing the keys would change how the AWS CLI reads other settings (unusual indentation). The file was left untouched.`,
    );
  }
  return out;
}

/**
 * The kept lines, each with its own terminator. When the old last line (without a newline) is
 * dropped, the new last line keeps its newline: every kept byte is unchanged.
 */
function render(model: ConfigModel, drop: Set<number>): string {
  const parts: string[] = [model.bom ? '\ufeff' : ''];
  model.lines.forEach((l, i) => {
    if (!drop.has(i)) parts.push(l.text + l.eol);
  });
  return parts.join('');
}

function readsAsExpected(before: ConfigModel, after: ConfigModel, expected: Map<ConfigSection, 'gone' | Set<string>>): boolean {
  const want: Array<[string, Array<[string, string]>]> = [];
  for (const s of before.sections) {
    const e = expected.get(s);
    if (e === 'gone') continue;
    const opts = s.options.filter((o) => !(e && e.has(o.key))).map((o): [string, string] => [o.key, o.value]);
    want.push([s.header, opts]);
  }
  const got = after.sections.map((s): [string, Array<[string, string]>] => [s.header, s.options.map((o) => [o.key, o.value])]);
  return JSON.stringify(want) === JSON.stringify(got);
}

/**
 * A free name for the backup: `credentials.2024-05-01T10-20-30.bak`, `-1`, `-2`… when taken, so an
 * older backup (which still holds keys the user may need) is never replaced.
 */
async function freeBackupPath(path: string, clock: Clock): Promise<string> {
  const stamp = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, '').replace(/:/g, '-');
  for (let n = 0; ; n++) {
    const target = `${path}.${stamp}${n ? `-${n}` : ''}.bak`;
    try {
      await lstat(target);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return target;
      throw new SsoError('ConfigFile', `Cannot back up ${path}, so nothing was removed: ${(e as NodeJS.ErrnoException).code ?? 'error'}`, { cause: e });
    }
  }
}

/**
 * removeLongTermKeys on the file at `path`. The previous version is kept in one private,
 * timestamped backup (it still holds the keys: the caller names it to the user); nothing else is
 * written beside the file. `backupPath` is undefined when nothing had to change.
 */
export async function removeLongTermKeysFromFile(
  path: string,
  profiles: string[],
  kind: 'credentials' | 'config',
  opts: { clock?: Clock } = {},
): Promise<{ backupPath?: string }> {
  return editWithBackup(path, (text) => removeLongTermKeys(text, profiles, kind), opts.clock);
}

/**
 * `edit` applied to the file at `path` atomically, after a backup copy of its own (a free
 * `NAME.TIMESTAMP.bak`, named in the answer); nothing is written when `edit` throws.
 */
export async function editWithBackup(path: string, edit: (text: string) => string, clock: Clock = systemClock): Promise<{ backupPath?: string }> {
  const file = new ConfigFile(path, { backupPath: await freeBackupPath(path, clock) });
  const r = await file.edit(edit);
  return r.backupPath ? { backupPath: r.backupPath } : {};
}
