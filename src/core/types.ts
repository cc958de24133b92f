// Shared shapes of the core: what a session, a token, an account and a role are.

/** An `[sso-session NAME]` section, or a legacy profile's inline SSO settings. */
export interface SsoSession {
  /** The sso-session name. Undefined for a legacy profile that has no session section. */
  name?: string;
  startUrl: string;
  /** The Identity Center region (`sso_region`). */
  region: string;
  /** `sso_registration_scopes`; defaults to `['sso:account:access']`. */
  scopes: string[];
}

export const DEFAULT_SCOPES: readonly string[] = ['sso:account:access'];

/** The token file the AWS CLI keeps in `~/.aws/sso/cache/<sha1>.json`, parsed. */
export interface CachedToken {
  startUrl: string;
  region: string;
  accessToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  clientId?: string;
  clientSecret?: string;
  /** Epoch milliseconds. */
  registrationExpiresAt?: number;
  refreshToken?: string;
}

/** A client registration (`RegisterClient` result), as cached by the CLI. */
export interface Registration {
  clientId: string;
  clientSecret: string;
  /** Epoch milliseconds at which the registration expires. */
  expiresAt: number;
  scopes?: string[];
  grantTypes?: string[];
}

export interface Account {
  accountId: string;
  accountName: string;
  emailAddress?: string;
}

export interface Role {
  accountId: string;
  roleName: string;
}

export interface RoleCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiration: number;
}
