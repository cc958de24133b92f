// From a profile name in the config file to role credentials, without ever signing in: the one
// path the `credentials` command (credential_process) and the kept-fresh credentials file share.
//
// resolveCredentialSource says what a profile's credentials come from: an SSO role (an sso-session
// profile or a legacy one with sso_start_url), or a chained profile (role_arn + source_profile)
// whose source is such an SSO profile.
import { chainedSpecOf, type ChainedSpec } from './chained';
import { isChainedProfile, listProfiles, listSsoSessions } from './config/read';
import { SsoError } from './errors';
import type { RoleRef } from './auth/roleCredentialCache';
import type { RoleCredentials, SsoSession } from './types';
import { DEFAULT_SCOPES } from './types';

export interface SsoRoleSource {
  kind: 'sso-role';
  profile: string;
  /** `name` undefined for a legacy profile (its token and cache keys use the start URL). */
  session: SsoSession;
  role: RoleRef;
  /** The profile's region, when it has one. */
  region?: string;
}

/** A chained profile: AssumeRole of `spec` with the keys of the SSO profile `source`. */
export interface ChainedSource {
  kind: 'chained';
  profile: string;
  source: SsoRoleSource;
  spec: ChainedSpec;
  /** Whose STS endpoint is called: the profile's region, else its source's, else the session's. */
  region: string;
}

export type CredentialSource = SsoRoleSource | ChainedSource;

/**
 * What `profile`'s credentials come from, read as botocore reads the config file. Throws SsoError
 * 'InvalidInput' for a profile that is missing or not one we can serve, 'ConfigFile' when its
 * sso-session is incomplete.
 */
export function resolveCredentialSource(configText: string, profile: string): CredentialSource {
  const profiles = listProfiles(configText);
  const p = profiles.find((x) => x.name === profile);
  if (!p) throw new SsoError('InvalidInput', `No profile "${profile}" in the config file.`);
  if (isChainedProfile(p)) {
    const from = profiles.find((x) => x.name === p.sourceProfile);
    if (!from) throw new SsoError('ConfigFile', `The profile "${profile}" has source_profile = ${p.sourceProfile}, which is not in the config file.`);
    if (isChainedProfile(from)) {
      throw new SsoError('InvalidInput', `The profile "${profile}" chains through "${from.name}", itself a chained profile: only one step from an IAM Identity Center profile is served here.`);
    }
    const source = ssoRoleSource(configText, from);
    return { kind: 'chained', profile, source, spec: chainedSpecOf(p), region: p.keys.region || source.region || source.session.region };
  }
  return ssoRoleSource(configText, p);
}

function ssoRoleSource(configText: string, p: ReturnType<typeof listProfiles>[number]): SsoRoleSource {
  const profile = p.name;
  const k = p.keys;
  if (!p.ssoAccountId || !p.ssoRoleName) {
    throw new SsoError('InvalidInput', `The profile "${profile}" is not an IAM Identity Center profile (it needs sso_account_id and sso_role_name).`);
  }
  const role = { accountId: p.ssoAccountId, roleName: p.ssoRoleName };
  const region = k.region || undefined;
  if (p.ssoSession !== undefined) {
    const s = listSsoSessions(configText).find((x) => x.name === p.ssoSession);
    if (!s) throw new SsoError('ConfigFile', `The profile "${profile}" uses [sso-session ${p.ssoSession}], which is missing or lacks sso_start_url or sso_region.`);
    return { kind: 'sso-role', profile, session: { name: s.name, startUrl: s.startUrl, region: s.region, scopes: s.scopes }, role, region };
  }
  if (!k.sso_start_url || !k.sso_region) {
    throw new SsoError('ConfigFile', `The profile "${profile}" needs sso_session, or sso_start_url and sso_region.`);
  }
  return { kind: 'sso-role', profile, session: { startUrl: k.sso_start_url, region: k.sso_region, scopes: [...DEFAULT_SCOPES] }, role, region };
}

/** What getting credentials needs; the callers bring the token, the portal and the cache. */
export interface CredentialDeps {
  /** Cached role credentials still good for a while (roleCredentialCache.ts), else undefined. */
  cached(session: SsoSession, role: RoleRef): RoleCredentials | undefined;
  /** A usable access token without signing in (SsoAuth.getAccessToken). */
  accessToken(session: SsoSession): Promise<string>;
  /** GetRoleCredentials (Portal.getRoleCredentials). */
  roleCredentials(session: SsoSession, accessToken: string, role: RoleRef): Promise<RoleCredentials>;
  /** Keeps what roleCredentials returned for the next call (the CLI's cache). */
  store?(session: SsoSession, role: RoleRef, creds: RoleCredentials): Promise<void>;
  /** AssumeRole for a chained profile with its source's keys (chained.ts assumeChained). */
  assume?(source: RoleCredentials, chained: ChainedSource): Promise<RoleCredentials>;
}

/**
 * The source's credentials: from the cache when it has them, else from the portal with a token that
 * is refreshed but never signed in for. An ended session rejects with SsoError 'NotSignedIn' or
 * 'SessionEnded' (see signInHint).
 */
export async function credentialsFor(source: CredentialSource, deps: CredentialDeps): Promise<RoleCredentials> {
  if (source.kind === 'chained') {
    if (!deps.assume) throw new SsoError('InvalidInput', `The profile "${source.profile}" is a chained profile, which this caller cannot serve.`);
    return deps.assume(await credentialsFor(source.source, deps), source);
  }
  const hit = deps.cached(source.session, source.role);
  if (hit) return hit;
  const token = await deps.accessToken(source.session);
  const creds = await deps.roleCredentials(source.session, token, source.role);
  await deps.store?.(source.session, source.role, creds);
  return creds;
}

/** How to sign in again to the source's session, for a one-line message. */
export function signInHint(of: CredentialSource): string {
  const source = of.kind === 'chained' ? of.source : of;
  return source.session.name !== undefined
    ? `aws-sso-profiles login --sso-session ${source.session.name} (or aws sso login --sso-session ${source.session.name})`
    : `aws sso login --profile ${source.profile}`;
}
