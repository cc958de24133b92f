// Plans which profiles to write for a session's accounts and roles: names from the template,
// existing profiles for the same role kept under their names, stale ones of ours pruned.
import { applyProfiles, ChainedProfileSpec, ConfigChanges, ProfileSpec, SsoSessionSpec } from './config/edit';
import { listProfiles, ProfileInfo, ProfilesByRole, roleKey } from './config/read';
import { isAccountId, isRoleName } from './names';
import { assignProfileNames, NameVars } from './naming';
import { regionFor, RegionRule } from './profileRegions';
import type { Account, Role } from './types';

export interface PopulateInput {
  session: SsoSessionSpec;
  accounts: readonly Account[];
  roles: ReadonlyMap<string, readonly Role[]>;
  /** A template or a preset name (see naming.ts). */
  template: string;
  /** The region of profiles no rule in `regionRules` places elsewhere. */
  region?: string;
  /** Per-account regions (profileRegions.ts): the first match wins over `region`. */
  regionRules?: readonly RegionRule[];
  output?: string;
  /** Remove profiles this tool wrote for this session whose account/role is no longer assigned. */
  prune?: boolean;
  /**
   * Accounts whose roles could not be listed: their profiles are never pruned, since we do not
   * know whether the roles still exist.
   */
  unknownAccounts?: Iterable<string>;
}

export interface PopulatePlan {
  changes: ConfigChanges;
  /** Profile names, sorted. */
  added: string[];
  /** The roles behind `added` (no profile points at them yet), in listing order. */
  addedRoles: { accountId: string; roleName: string }[];
  /** Our profiles whose keys will change (region/output). */
  updated: string[];
  /** Profiles already pointing at the role, left as they are. */
  unchanged: string[];
  removed: string[];
  /** Roles the service named in a way no config file can hold (never IAM-valid): left out. */
  skipped: { accountId: string; roleName: string }[];
}


export function planPopulate(configText: string, input: PopulateInput): PopulatePlan {
  const existing = listProfiles(configText);
  const byRole = new ProfilesByRole(existing);
  const session = input.session.name;
  const ours = (accountId: string, roleName: string) => byRole.get(session, accountId, roleName);

  const wanted: { vars: NameVars; account: Account; role: Role }[] = [];
  const assigned = new Set<string>();
  const skipped: PopulatePlan['skipped'] = [];
  for (const account of input.accounts) {
    for (const role of input.roles.get(account.accountId) ?? []) {
      // Anything else came from a broken or hostile service and would not survive the config
      // file (or would mean something else in it).
      if (!isRoleName(role.roleName) || !isAccountId(account.accountId)) {
        skipped.push({ accountId: account.accountId, roleName: role.roleName });
        continue;
      }
      assigned.add(roleKey(session, account.accountId, role.roleName));
      wanted.push({
        account,
        role,
        vars: {
          accountName: account.accountName,
          accountId: account.accountId,
          roleName: role.roleName,
          session: input.session.name,
          region: regionOf(input, account),
          email: account.emailAddress,
        },
      });
    }
  }

  const toName = wanted.filter((w) => !ours(w.account.accountId, w.role.roleName));
  const names = assignProfileNames(
    toName.map((w) => w.vars),
    input.template,
    existing.map((p) => ({ name: p.name, ssoSession: p.ssoSession, ssoAccountId: p.ssoAccountId, ssoRoleName: p.ssoRoleName, managed: p.managed })),
  );

  const upserts: ProfileSpec[] = [];
  const added: string[] = [];
  const updated: string[] = [];
  const unchanged: string[] = [];
  toName.forEach((w, i) => {
    upserts.push(spec(names[i], input, w.account, w.role.roleName));
    added.push(names[i]);
  });
  for (const w of wanted) {
    const p = ours(w.account.accountId, w.role.roleName);
    if (!p) continue;
    const region = regionOf(input, w.account);
    const differs =
      (region !== undefined && p.keys.region !== region) || (input.output !== undefined && p.keys.output !== input.output);
    if (p.managed && differs) {
      upserts.push(spec(p.name, input, w.account, w.role.roleName));
      updated.push(p.name);
    } else {
      unchanged.push(p.name);
    }
  }

  const removed: string[] = [];
  if (input.prune) {
    const unknown = new Set(input.unknownAccounts ?? []);
    for (const p of existing) {
      if (!p.managed || p.ssoSession !== session || !p.ssoAccountId || !p.ssoRoleName) continue;
      if (!assigned.has(roleKey(session, p.ssoAccountId, p.ssoRoleName)) && !unknown.has(p.ssoAccountId)) removed.push(p.name);
    }
  }

  const sort = (a: string[]) => a.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  return {
    changes: { addMissingSessions: [input.session], upserts, removals: removed },
    added: sort(added),
    addedRoles: toName.map((w) => ({ accountId: w.account.accountId, roleName: w.role.roleName })),
    updated: sort(updated),
    unchanged: sort(unchanged),
    removed: sort(removed),
    skipped,
  };
}

function regionOf(input: PopulateInput, account: Account): string | undefined {
  return input.regionRules ? regionFor(account, input.regionRules, input.region) : input.region;
}

function spec(name: string, input: PopulateInput, account: Account, roleName: string): ProfileSpec {
  return { name, ssoSession: input.session.name, accountId: account.accountId, roleName, region: regionOf(input, account), output: input.output };
}

/**
 * The edit behind Create Profile and `aws-sso-profiles profile`: the role's profile, and its
 * `[sso-session]` when the file has none (an existing one is left as it is). With `session`
 * undefined the file must already have it. `overwriteUnmanaged` as in ConfigChanges.
 */
export function writeRoleProfile(
  text: string,
  session: SsoSessionSpec | undefined,
  profile: ProfileSpec,
  opts: { overwriteUnmanaged?: boolean } = {},
): string {
  return applyProfiles(text, {
    addMissingSessions: session ? [session] : [],
    upserts: [profile],
    overwriteUnmanaged: opts.overwriteUnmanaged,
  });
}

/**
 * The edit behind Create Chained Profile: the chained profile, the SSO profile it starts from
 * when `source` is given (the file has none for the role yet) and that profile's `[sso-session]`
 * when `session` is given. One edit, checked as a whole: nothing is half-written.
 */
export function writeChainedProfile(
  text: string,
  session: SsoSessionSpec | undefined,
  source: ProfileSpec | undefined,
  chained: ChainedProfileSpec,
  opts: { overwriteUnmanaged?: boolean } = {},
): string {
  return applyProfiles(text, {
    addMissingSessions: session ? [session] : [],
    upserts: source ? [source] : [],
    chainedUpserts: [chained],
    overwriteUnmanaged: opts.overwriteUnmanaged,
  });
}
