// The one place the core loads the AWS SDK, lazily, and the one shape of client it expects.
//
// Nothing is required until the first network call, so that reading the token cache (the
// editor's activation, `status`) never pays for the SDK's start-up.

type OidcModule = typeof import('@aws-sdk/client-sso-oidc');
type PortalModule = typeof import('@aws-sdk/client-sso');

/**
 * What the core needs of an SDK client: `send(command, {abortSignal})`. The real SSOOIDCClient
 * and SSOClient fit; tests pass doubles that switch on `command.constructor.name` and read
 * `command.input`.
 */
export interface SdkClientLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: { abortSignal?: AbortSignal }): Promise<any>;
  destroy?(): void;
}
export type OidcClientLike = SdkClientLike;
export type PortalClientLike = SdkClientLike;

let oidc: OidcModule | undefined;
let portal: PortalModule | undefined;

/** `@aws-sdk/client-sso-oidc`, loaded on first use. */
export function oidcSdk(): OidcModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  oidc ??= require('@aws-sdk/client-sso-oidc') as OidcModule;
  return oidc;
}

/** `@aws-sdk/client-sso`, loaded on first use. */
export function portalSdk(): PortalModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  portal ??= require('@aws-sdk/client-sso') as PortalModule;
  return portal;
}
