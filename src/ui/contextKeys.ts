// Context keys (for `when` clauses) and the token lists tree items carry as `contextValue`,
// in one place so package.json's menus and the code agree. No `vscode` import: unit-tested.

export const ContextKey = {
  /** At least one session has a valid (or refreshable) token. */
  signedIn: 'awsSsoProfiles.signedIn',
  /** A profile is set as AWS_PROFILE for new terminals. */
  activeProfile: 'awsSsoProfiles.activeProfile',
  /** At least one SSO session is known (config file or settings): walkthrough step 1. */
  hasSession: 'awsSsoProfiles.hasSession',
  /** The config file holds at least one profile that signs in through a known SSO session: step 3. */
  hasProfile: 'awsSsoProfiles.hasProfile',
  /** The long-term key check ran and no access key is left in the AWS files: step 5. */
  noLongTermKeys: 'awsSsoProfiles.noLongTermKeys',
} as const;

/** Node kinds, matched in package.json as `viewItem =~ /(^|;)awsRole;/`. */
export type NodeKind = 'awsSession' | 'awsGroup' | 'awsAccount' | 'awsRole' | 'awsChained' | 'awsRetry' | 'awsMessage';

/** Flags a node may carry after its kind. */
export type NodeFlag =
  | 'signedIn'
  | 'signedOut'
  | 'expired'
  | 'fromConfig'
  | 'fromSettings'
  | 'hasProfile'
  | 'hasChained'
  | 'activeProfile'
  /** The account or role is pinned itself (Unpin shows instead of Pin). */
  | 'pinned';

/** `awsRole;hasProfile;activeProfile;`: the kind first, then each flag, each ended by `;`. */
export function contextValue(kind: NodeKind, flags: readonly (NodeFlag | false | undefined)[] = []): string {
  return [kind, ...flags.filter((f): f is NodeFlag => !!f)].map((t) => `${t};`).join('');
}
