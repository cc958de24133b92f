// Which `region` a new profile gets, per account: the `awsSsoProfiles.profileRegions` setting and
// `populate --regions FILE`, one map for both. Keys are a 12-digit account ID (that account) or a
// glob over the account's name (`*` any run of characters, `?` one; case-insensitive, whole name);
// the first key that matches, in the map's order, wins; no match keeps the fallback (the session's
// region or `defaultRegion`). Values pass the one region rule (endpoints.ts assertRegion).
import { assertRegion } from './endpoints';
import { isSsoError, SsoError } from './errors';
import { isAccountId } from './names';
import type { Account } from './types';

export interface RegionRule {
  /** As written: an account ID or a name glob. */
  key: string;
  region: string;
  matches(account: Pick<Account, 'accountId' | 'accountName'>): boolean;
}

function globRe(glob: string): RegExp {
  const body = [...glob].map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, 'isu');
}

/**
 * The rules of a map as written (settings.json or a JSON file), in its order. Throws SsoError
 * InvalidInput naming the first bad entry (`where` says where the map comes from): a wrong
 * region is refused, never silently replaced by the fallback.
 */
export function parseRegionRules(raw: unknown, where: string): RegionRule[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new SsoError('InvalidInput', `${where} must be an object: an account ID or account-name pattern → a region.`);
  }
  // Object.entries keeps the written order: a 12-digit key is no array index (those end below 2^32).
  return Object.entries(raw as Record<string, unknown>).map(([key, region]) => {
    const k = key.trim();
    if (k === '') throw new SsoError('InvalidInput', `${where}: an empty key; use an account ID or an account-name pattern such as "prod-*".`);
    if (typeof region !== 'string') throw new SsoError('InvalidInput', `${where}: the value for "${k}" must be a region name such as eu-west-1.`);
    try {
      assertRegion(region);
    } catch (e) {
      throw isSsoError(e) ? new SsoError('InvalidInput', `${where}: ${e.message}`) : e;
    }
    if (isAccountId(k)) return { key: k, region, matches: (a) => a.accountId === k };
    const re = globRe(k);
    return { key: k, region, matches: (a) => re.test(a.accountName) };
  });
}

/** The region for a profile of `account`: the first rule that matches, else `fallback`. */
export function regionFor<F extends string | undefined>(account: Pick<Account, 'accountId' | 'accountName'>, rules: readonly RegionRule[], fallback: F): string | F {
  return rules.find((r) => r.matches(account))?.region ?? fallback;
}
