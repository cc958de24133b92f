// The entries of the Find quick pick, from the listings so far. No `vscode` import: unit-tested.
import type { Listing } from '../../core/portal/portal';
import { Command, CommandId } from '../commandIds';
import { sortAccounts, sortRoles } from '../tree/sessionListing';

/**
 * What Find offers on a picked role or account, in this order: with the palette's own commands
 * (which ask for a session), every action of the tree's menus is reachable from the keyboard.
 */
export const FIND_ROLE_COMMANDS: readonly CommandId[] = [
  Command.createProfile,
  Command.createChainedProfile,
  Command.useProfile,
  Command.openConsole,
  Command.openConsoleAt,
  Command.copyCredentials,
  Command.writeCredentials,
  Command.keepCredentialsFresh,
  Command.addProcessProfile,
  Command.copyAccountId,
  Command.pin,
  Command.unpin,
];
/** Pin or Unpin, whichever applies, is offered. */
export const FIND_ACCOUNT_COMMANDS: readonly CommandId[] = [Command.createProfilesForAll, Command.copyAccountId, Command.pin, Command.unpin];
/** What Find offers on a chained profile, picked among its role's actions. */
export const FIND_CHAINED_COMMANDS: readonly CommandId[] = [Command.useProfile, Command.openConsole, Command.copyCredentials];

export interface FindEntry {
  kind: 'account' | 'role';
  /** Stable across rebuilds, to keep the highlighted entry. */
  key: string;
  session: string;
  accountId: string;
  roleName?: string;
  label: string;
  description: string;
  detail?: string;
  /** Pinned itself (the item offers Unpin, else Pin). */
  pinned: boolean;
  /** Lower-cased account name, ID, e-mail and role, what findMatches looks in. */
  search: string;
}

/**
 * Each account followed by its roles, accounts sorted by name. Roles carry the account's name
 * and ID in their description, so typing either finds them; the session is named only when
 * there are several.
 */
export function buildFindItems(
  sessions: { session: string; listing: Pick<Listing, 'accounts' | 'roles'> }[],
  profileFor: (session: string, accountId: string, roleName: string) => string | undefined,
  profileDetail: (profile: string) => string = (p) => p,
  isPinned: (session: string, accountId: string, roleName?: string) => boolean = () => false,
): FindEntry[] {
  const many = sessions.length > 1;
  const out: FindEntry[] = [];
  for (const { session, listing } of sessions) {
    for (const a of sortAccounts(listing.accounts)) {
      const where = many ? ` · ${session}` : '';
      out.push({
        kind: 'account',
        key: `${session}/${a.accountId}`,
        session,
        accountId: a.accountId,
        label: a.accountName,
        description: `${a.accountId}${where}`,
        detail: a.emailAddress,
        pinned: isPinned(session, a.accountId),
        search: `${a.accountName}\n${a.accountId}\n${a.emailAddress ?? ''}`.toLowerCase(),
      });
      for (const r of sortRoles(listing.roles.get(a.accountId) ?? [])) {
        const profile = profileFor(session, a.accountId, r.roleName);
        out.push({
          kind: 'role',
          key: `${session}/${a.accountId}/${r.roleName}`,
          session,
          accountId: a.accountId,
          roleName: r.roleName,
          label: r.roleName,
          description: `${a.accountName} · ${a.accountId}${where}`,
          detail: profile ? profileDetail(profile) : undefined,
          pinned: isPinned(session, a.accountId, r.roleName),
          search: `${a.accountName}\n${a.accountId}\n${a.emailAddress ?? ''}\n${r.roleName}\n${profile ?? ''}`.toLowerCase(),
        });
      }
    }
  }
  return out;
}

/**
 * The entries holding every word of `query` (case-insensitive, any order, each anywhere in the
 * account name, ID, e-mail, role or profile name); all of them when no word is typed.
 */
export function findMatches<T extends Pick<FindEntry, 'search'>>(entries: readonly T[], query: string): T[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return [...entries];
  return entries.filter((e) => words.every((w) => e.search.includes(w)));
}
