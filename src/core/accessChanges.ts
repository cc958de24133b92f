// What a listing says changed in the user's access: roles with no profile yet, and profiles of
// ours (MANAGED_KEY) whose role is no longer assigned. One rule for the editor's notice and the
// command line's `populate --check`; both come from planPopulate, so they name what it would write.
import { createHash } from 'node:crypto';
import type { SsoSessionSpec } from './config/edit';
import { planPopulate, PopulatePlan } from './profiles';
import type { Account, Role } from './types';

export interface AccessChanges {
  /** Assigned roles that no profile points at, in listing order. */
  added: { accountId: string; roleName: string }[];
  /** Our profiles (sorted names) whose role the listing no longer shows. */
  removed: string[];
  /** The plan behind it (with pruning): its `added` are the profile names Create Profiles for All would write. */
  plan: PopulatePlan;
}

export interface AccessListing {
  accounts: readonly Account[];
  roles: ReadonlyMap<string, readonly Role[]>;
  /**
   * Accounts whose roles are not known (failed or not listed): their profiles never count as
   * removed. An account missing from `accounts` altogether counts as no longer assigned, so the
   * account list must be complete.
   */
  unknownAccounts: Iterable<string>;
}

/** The difference between the config file and what the listing shows for `session`. */
export function accessChanges(configText: string, session: SsoSessionSpec, listing: AccessListing, template = 'default'): AccessChanges {
  const plan = planPopulate(configText, {
    session,
    accounts: listing.accounts,
    roles: listing.roles,
    template,
    prune: true,
    unknownAccounts: listing.unknownAccounts,
  });
  return { added: plan.addedRoles, removed: plan.removed, plan };
}

/** True when the config file is behind the listing. */
export function hasAccessChanges(c: Pick<AccessChanges, 'added' | 'removed'>): boolean {
  return c.added.length + c.removed.length > 0;
}

/**
 * Names one difference, so the same one is reported once: the same roles new and the same
 * profiles stale give the same print whatever the listing order; undefined when nothing changed.
 */
export function accessFingerprint(c: Pick<AccessChanges, 'added' | 'removed'>): string | undefined {
  if (!hasAccessChanges(c)) return undefined;
  const added = c.added.map((r) => `${r.accountId}/${r.roleName}`).sort();
  const removed = [...c.removed].sort();
  return createHash('sha256').update(JSON.stringify([added, removed])).digest('hex').slice(0, 32);
}
