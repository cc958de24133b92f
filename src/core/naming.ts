// Profile names from a template ("{accountName}-{roleName}"), made safe for the config file and
// the AWS SDKs, with collisions resolved the same way on every run.
import { SsoError } from './errors';
import { isProfileName, MAX_NAME_LENGTH, NAME_CHARS } from './names';

export interface NameVars {
  accountName: string;
  accountId: string;
  roleName: string;
  /** The sso-session name. */
  session?: string;
  /** The profile's default region. */
  region?: string;
  /** The account's email address. */
  email?: string;
}

/** Templates matching the naming of other tools, so users can keep the names they know. */
export const PROFILE_NAME_PRESETS = {
  /** What `aws configure sso` suggests. */
  cli: '{roleName}-{accountId}',
  'aws-sso-util': '{accountName}.{roleName}',
  granted: '{accountName}/{roleName}',
  'aws-sso-cli': '{accountName}:{roleName}',
  default: '{accountName}-{roleName}',
} as const;

export type ProfileNamePreset = keyof typeof PROFILE_NAME_PRESETS;

export const MAX_PROFILE_NAME_LENGTH = MAX_NAME_LENGTH;

const PLACEHOLDERS = new Set(['accountName', 'accountId', 'roleName', 'session', 'region', 'email']);
/** Would overwrite the default profile; which names are valid at all is names.ts's rule. */
const RESERVED = new Set(['default']);
const SEPARATORS = /^[-._/:]+|[-._/:]+$/g;
/** A run of characters a profile name cannot hold (names.ts). */
const NOT_NAME_CHARS = new RegExp(`[^${NAME_CHARS}]+`, 'g');

/** A preset's template when `templateOrPreset` names one, else the template itself. */
export function resolveNameTemplate(templateOrPreset: string): string {
  return Object.prototype.hasOwnProperty.call(PROFILE_NAME_PRESETS, templateOrPreset)
    ? PROFILE_NAME_PRESETS[templateOrPreset as ProfileNamePreset]
    : templateOrPreset;
}

/** Throws SsoError('InvalidInput') for an unknown `{placeholder}` or an unbalanced brace. */
export function validateNameTemplate(template: string): void {
  const stripped = template.replace(/\{([^{}]*)\}/g, (_m, name: string) => {
    if (!PLACEHOLDERS.has(name)) {
      throw new SsoError(
        'InvalidInput',
        `The profile name template uses {${name}}, which is not one of ${[...PLACEHOLDERS].map((p) => `{${p}}`).join(', ')}.`,
      );
    }
    return '';
  });
  if (/[{}]/.test(stripped)) {
    throw new SsoError('InvalidInput', `The profile name template "${template}" has an unmatched "{" or "}".`);
  }
  if (template.trim() === '') {
    throw new SsoError('InvalidInput', 'The profile name template is empty.');
  }
}

/**
 * Keeps only characters every AWS tool accepts in a profile name (names.ts NAME_CHARS):
 * accents are dropped ("Été" → "Ete"), anything else becomes "-", runs of "-" collapse,
 * separators are trimmed from both ends and the result is capped at 128 characters.
 */
export function sanitizeProfileName(raw: string, maxLength = MAX_PROFILE_NAME_LENGTH): string {
  const s = raw
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(NOT_NAME_CHARS, '-')
    .replace(/-{2,}/g, '-')
    .replace(SEPARATORS, '');
  return s.length > maxLength ? s.slice(0, maxLength).replace(SEPARATORS, '') : s;
}

/** Renders `template` (or a preset's name) with `vars` and sanitises the result; may be ''. */
export function renderProfileName(template: string, vars: NameVars): string {
  const t = resolveNameTemplate(template);
  validateNameTemplate(t);
  const filled = t.replace(/\{([^{}]*)\}/g, (_m, name: keyof NameVars) => vars[name] ?? '');
  return sanitizeProfileName(filled);
}

/** A profile already in the file; with its SSO keys it can be recognised as the same role. */
export interface ExistingProfileName {
  name: string;
  ssoSession?: string;
  ssoAccountId?: string;
  ssoRoleName?: string;
  managed?: boolean;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function suffixed(base: string, suffix: string): string {
  const room = MAX_PROFILE_NAME_LENGTH - suffix.length - 1;
  const head = base.length > room ? base.slice(0, room).replace(SEPARATORS, '') : base;
  return head ? `${head}-${suffix}` : suffix;
}

/**
 * One name per item (same order as `items`). Deterministic whatever the input order: items are
 * taken sorted by account ID, role name and session. A name rendered by several items, or
 * taken by a profile in `existing` that is not this extension's profile for the same role,
 * gets "-<accountId>" appended, then "-2", "-3"… until free. `default` is never produced.
 * A name that renders empty falls back to "{roleName}-{accountId}".
 */
export function assignProfileNames(
  items: readonly NameVars[],
  template: string,
  existing: Iterable<string | ExistingProfileName> = [],
): string[] {
  const t = resolveNameTemplate(template);
  validateNameTemplate(t);
  // name → the managed profile holding it (that role may keep the name), or null.
  const holders = new Map<string, ExistingProfileName | null>();
  for (const e of existing) {
    if (typeof e === 'string') holders.set(e, null);
    else holders.set(e.name, e.managed && e.ssoAccountId !== undefined && e.ssoRoleName !== undefined ? e : null);
  }
  for (const r of RESERVED) holders.set(r, null);

  const order = items
    .map((item, index) => ({ item, index }))
    .sort(
      (a, b) =>
        cmp(a.item.accountId, b.item.accountId) ||
        cmp(a.item.roleName, b.item.roleName) ||
        cmp(a.item.session ?? '', b.item.session ?? '') ||
        cmp(a.item.accountName, b.item.accountName) ||
        a.index - b.index,
    );
  const base = new Map<number, string>();
  const rendered = new Map<string, number>();
  for (const { item, index } of order) {
    const b = renderProfileName(t, item) || renderProfileName(PROFILE_NAME_PRESETS.cli, item) || 'profile';
    base.set(index, b);
    rendered.set(b, (rendered.get(b) ?? 0) + 1);
  }

  const names: string[] = new Array(items.length);
  const used = new Set<string>();
  const free = (name: string, item: NameVars) => {
    if (used.has(name) || !isProfileName(name)) return false;
    if (!holders.has(name)) return true;
    const h = holders.get(name);
    return (
      !!h &&
      h.ssoAccountId === item.accountId &&
      h.ssoRoleName === item.roleName &&
      (item.session === undefined || h.ssoSession === item.session)
    );
  };
  // Unique, free names first, so a suffixed name never takes one another item renders as is.
  for (const { item, index } of order) {
    const b = base.get(index)!;
    if (rendered.get(b) === 1 && free(b, item)) {
      names[index] = b;
      used.add(b);
    }
  }
  for (const { item, index } of order) {
    if (names[index] !== undefined) continue;
    const b = base.get(index)!;
    let name = b.includes(item.accountId) ? b : suffixed(b, sanitizeProfileName(item.accountId) || 'x');
    if (!free(name, item)) {
      let n = 2;
      while (!free(suffixed(name, String(n)), item)) n++;
      name = suffixed(name, String(n));
    }
    names[index] = name;
    used.add(name);
  }
  return names;
}

/**
 * The name proposed for a role's keys in the credentials file: the role's profile name, with
 * "-keys" when the config file has a profile of that name (then "-keys-2", "-keys-3"…). A section
 * of a config profile's name merges into that profile: tools that take static keys first (the AWS
 * SDK for JavaScript v3) would use the keys instead of signing in, while the AWS CLI keeps signing
 * in (botocore tries SSO before the credentials file). A distinct name avoids both surprises.
 */
export function credentialsSectionName(base: string, configProfiles: Iterable<string>): string {
  const taken = new Set(configProfiles);
  if (!taken.has(base)) return base;
  let name = suffixed(base, 'keys');
  for (let n = 2; taken.has(name); n++) name = suffixed(base, `keys-${n}`);
  return name;
}
