// Reading an AWS config file as the AWS CLI (botocore) reads it: its profiles and sso-sessions,
// `[DEFAULT]` keys included, and what it reads in a way the user may not mean. No editing here:
// the activation path needs only this, and edit.ts (the planner) loads on first use.
import { SsoError } from '../errors';
import { parseScopes, scopesOrDefault } from '../scopes';
import { SsoSession } from '../types';
import { ConfigModel, ConfigProblem, ConfigSection, describeProblems, isBlocking, parseConfig } from './model';

/**
 * The key that marks a profile as written by this extension, so pruning removes only those.
 * The AWS CLI and SDKs ignore keys they do not know, so it changes nothing for them.
 */
export const MANAGED_KEY = 'aws_sso_profiles_managed';
export const MANAGED_VALUE = 'true';

export interface ProfileInfo {
  name: string;
  /** The header as written, e.g. `profile dev` or `default`. */
  header: string;
  /** Lower-cased key → value, as the CLI sees it (keys of a `[DEFAULT]` section included). */
  keys: Record<string, string>;
  ssoSession?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  /** `role_arn` and `source_profile`: a chained profile, assumed from the source profile's credentials. */
  roleArn?: string;
  sourceProfile?: string;
  /** Written by this extension (carries `aws_sso_profiles_managed = true`). */
  managed: boolean;
}

export interface SsoSessionInfo extends SsoSession {
  name: string;
}

// ---------------------------------------------------------------------------------------------
// Reading

/**
 * What the AWS CLI reads but probably not as meant: a profile or sso-session defined by two
 * sections, of which it silently uses the last. Listing works; show these to the user.
 */
export function configWarnings(text: string): ConfigProblem[] {
  return parsed(text).problems.filter((p) => !isBlocking(p));
}

// The last text parsed here and its model, held weakly: a populate lists the profiles, then applies
// changes to the same text, usually in one synchronous run, and a 1 MB file need not be parsed twice
// for it. Nothing is kept alive by the cache, and edit.ts never modifies a model.
let lastParse: WeakRef<{ text: string; model: ConfigModel }> | undefined;

export function parsed(text: string): ConfigModel {
  const hit = lastParse?.deref();
  if (hit && hit.text === text) return hit.model;
  const model = parseConfig(text);
  lastParse = new WeakRef({ text, model });
  return model;
}

/** The model, when the AWS CLI can read the file (an `ambiguous-*` problem does not stop it). */
export function readable(text: string, editing: boolean, what = 'AWS config file'): ConfigModel {
  const model = parsed(text);
  const blocking = model.problems.filter(isBlocking);
  if (blocking.length > 0) {
    throw new SsoError(
      'ConfigFile',
      `The ${what} cannot be read by the AWS CLI${editing ? ', so it was left untouched' : ''}: ${describeProblems(blocking).replace(/\.$/, '')}. Fix the file, then try again.`,
    );
  }
  return model;
}

/** Sections that define the same profile (or sso-session) as another, grouped by name; only names defined more than once. */
export function definedTwice(model: ConfigModel, kind: 'profile' | 'sso-session'): Map<string, ConfigSection[]> {
  const all = new Map<string, ConfigSection[]>();
  for (const s of model.sections) {
    if (s.kind !== kind || s.name === undefined) continue;
    const list = all.get(s.name);
    if (list) list.push(s);
    else all.set(s.name, [s]);
  }
  for (const [name, list] of all) if (list.length < 2) all.delete(name);
  return all;
}

/**
 * Refuses to edit a profile or session that two sections define: which one the user means is
 * unclear, and changing the one the CLI ignores would do nothing.
 */
export function refuseAmbiguous(model: ConfigModel, kind: 'profile' | 'sso-session', names: Iterable<string>): void {
  let twice: Map<string, ConfigSection[]> | undefined;
  for (const name of names) {
    twice ??= definedTwice(model, kind);
    const list = twice.get(name);
    if (!list) continue;
    const where = list.map((s) => `[${s.header}] on line ${s.line + 1}`);
    const listed = `${where.slice(0, -1).join(', ')} and ${where[where.length - 1]}`;
    throw new SsoError(
      'ConfigFile',
      `The AWS config file was left untouched: ${kind} "${name}" is defined ${list.length === 2 ? 'twice' : `${list.length} times`} (${listed}) and the AWS CLI uses only the last one. Remove the other ${list.length === 2 ? 'one' : 'ones'}, then try again.`,
    );
  }
}

export function isManaged(s: ConfigSection): boolean {
  const v = s.options.find((o) => o.key === MANAGED_KEY)?.value;
  return v !== undefined && v.toLowerCase() === MANAGED_VALUE;
}

/** The options of every `[DEFAULT]` section, in file order: configparser's defaults, inherited by every section. */
function defaultEntries(model: ConfigModel): Array<[string, string]> {
  const entries: Array<[string, string]> = [];
  for (const d of model.sections) {
    if (d.kind === 'defaults') for (const o of d.options) entries.push([o.key, o.value]);
  }
  return entries;
}

function withDefaults(defaults: ReadonlyArray<[string, string]>, s: ConfigSection): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const [k, v] of defaults) setKey(keys, k, v);
  for (const o of s.options) setKey(keys, o.key, o.value);
  return keys;
}

function setKey(keys: Record<string, string>, key: string, value: string): void {
  // A key named `__proto__` stays a plain key (as with Object.fromEntries), never the prototype.
  if (key === '__proto__') Object.defineProperty(keys, key, { value, writable: true, enumerable: true, configurable: true });
  else keys[key] = value;
}

/**
 * The sections botocore keeps, one per name: when two define the same profile (or session), the
 * later one's content in the first one's place, as its profile map (a dict) ends up.
 */
function lastDefinitions(model: ConfigModel, kind: 'profile' | 'sso-session'): ConfigSection[] {
  const at = new Map<string, number>();
  const out: ConfigSection[] = [];
  for (const s of model.sections) {
    if (s.kind !== kind || s.name === undefined) continue;
    const i = at.get(s.name);
    if (i === undefined) {
      at.set(s.name, out.length);
      out.push(s);
    } else {
      out[i] = s;
    }
  }
  return out;
}

/**
 * The profiles botocore sees, in its order. Throws SsoError('ConfigFile') when the CLI cannot read
 * the file; a profile defined twice is read as the CLI reads it (see configWarnings).
 */
export function listProfiles(text: string): ProfileInfo[] {
  const model = readable(text, false);
  const defaults = defaultEntries(model);
  return lastDefinitions(model, 'profile').map((s) => {
    const keys = withDefaults(defaults, s);
    const p: ProfileInfo = { name: s.name!, header: s.header, keys, managed: isManaged(s) };
    if (keys.sso_session !== undefined) p.ssoSession = keys.sso_session;
    if (keys.sso_account_id !== undefined) p.ssoAccountId = keys.sso_account_id;
    if (keys.sso_role_name !== undefined) p.ssoRoleName = keys.sso_role_name;
    if (keys.role_arn !== undefined) p.roleArn = keys.role_arn;
    if (keys.source_profile !== undefined) p.sourceProfile = keys.source_profile;
    return p;
  });
}

/**
 * The SSO profiles of `profiles` (the config file's) that a credentials-file section of the same
 * name holding an access key shadows, in their order. botocore (the AWS CLI) resolves SSO first
 * and keeps signing in; the JavaScript SDK v3 takes a profile's static keys first, so tools built
 * on it use those keys instead (until they expire, or for good when they are long-term). There
 * the section name is the profile name itself, and only the section's own key counts: the
 * JavaScript SDK does not inherit `[DEFAULT]`. Never throws (text that does not parse is read as
 * far as it does).
 */
export function shadowedSsoProfiles(credentialsText: string, profiles: readonly ProfileInfo[]): string[] {
  if (credentialsText === '') return [];
  const keyed = new Set<string>();
  for (const s of parseConfig(credentialsText).sections) {
    if (s.kind === 'defaults') continue;
    // The last one wins within a section, as in configparser.
    const id = s.options.filter((o) => o.key === 'aws_access_key_id').pop()?.value ?? '';
    if (id.trim() !== '') keyed.add(s.header);
  }
  if (keyed.size === 0) return [];
  return profiles.filter((p) => keyed.has(p.name) && (p.ssoSession !== undefined || p.keys.sso_start_url !== undefined)).map((p) => p.name);
}

/**
 * The `[sso-session]` sections that name both a start URL and a region (the CLI cannot use
 * the others), in botocore's order. Without scopes in the file, `scopes` is the default
 * (scopesOrDefault).
 */
export function listSsoSessions(text: string): SsoSessionInfo[] {
  const model = readable(text, false);
  const defaults = defaultEntries(model);
  const out: SsoSessionInfo[] = [];
  for (const s of lastDefinitions(model, 'sso-session')) {
    const keys = withDefaults(defaults, s);
    if (!keys.sso_start_url || !keys.sso_region) continue;
    out.push({
      name: s.name!,
      startUrl: keys.sso_start_url,
      region: keys.sso_region,
      scopes: scopesOrDefault(parseScopes(keys.sso_registration_scopes ?? '', 'file')),
    });
  }
  return out;
}

/** Whether the file has an `[sso-session NAME]` section, usable or not: what addMissingSessions leaves alone. */
export function hasSsoSession(text: string, name: string): boolean {
  return readable(text, false).sections.some((s) => s.kind === 'sso-session' && s.name === name);
}

export const roleKey = (session: string, accountId: string, roleName: string) => `${session}\u0000${accountId}\u0000${roleName}`;

/**
 * "Our profile for this role": per session, account and role, the profile that points at it,
 * preferring one this extension manages when several do (the first in the file otherwise). And
 * the chained profiles that start from it: `role_arn` with a `source_profile` that is an SSO
 * profile of the role (the CLI assumes `role_arn` from that profile's credentials).
 * Built once per listing: the editor asks it for thousands of roles at a time.
 */
export class ProfilesByRole {
  private readonly map = new Map<string, ProfileInfo>();
  private readonly chainedMap = new Map<string, ProfileInfo[]>();

  constructor(profiles: Iterable<ProfileInfo>) {
    const byName = new Map<string, ProfileInfo>();
    const chained: ProfileInfo[] = [];
    for (const p of profiles) {
      byName.set(p.name, p);
      // With role_arn the CLI assumes that role, whatever sso_* keys the profile also has.
      if (isChainedProfile(p)) {
        chained.push(p);
        continue;
      }
      if (!p.ssoSession || !p.ssoAccountId || !p.ssoRoleName) continue;
      const k = roleKey(p.ssoSession, p.ssoAccountId, p.ssoRoleName);
      const seen = this.map.get(k);
      if (!seen || (p.managed && !seen.managed)) this.map.set(k, p);
    }
    for (const c of chained) {
      const src = byName.get(c.sourceProfile!);
      if (!src || isChainedProfile(src) || !src.ssoSession || !src.ssoAccountId || !src.ssoRoleName) continue;
      const k = roleKey(src.ssoSession, src.ssoAccountId, src.ssoRoleName);
      const list = this.chainedMap.get(k);
      if (list) list.push(c);
      else this.chainedMap.set(k, [c]);
    }
  }

  get(session: string, accountId: string, roleName: string): ProfileInfo | undefined {
    return this.map.get(roleKey(session, accountId, roleName));
  }

  /** The chained profiles whose source is an SSO profile of this role, in file order. */
  chained(session: string, accountId: string, roleName: string): readonly ProfileInfo[] {
    return this.chainedMap.get(roleKey(session, accountId, roleName)) ?? [];
  }
}

/** A profile the CLI resolves by assuming `role_arn` with `source_profile`'s credentials. */
export function isChainedProfile(p: ProfileInfo): boolean {
  return p.roleArn !== undefined && p.roleArn !== '' && p.sourceProfile !== undefined && p.sourceProfile !== '';
}
