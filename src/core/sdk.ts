// The one place the core loads the AWS SDK, lazily, and the one shape of client it expects.
//
// Nothing is required until the first network call, so that reading the token cache (the
// editor's activation, `status`) never pays for the SDK's start-up. In the bundles the SDK is a file
// of its own (dist/sdk.js, see ./sdkModules), so until then it is not even parsed.

type OidcModule = typeof import('@aws-sdk/client-sso-oidc');
type PortalModule = typeof import('@aws-sdk/client-sso');
type StsModule = typeof import('@aws-sdk/client-sts');
type SdkModules = typeof import('./sdkModules');
type HttpModule = ReturnType<SdkModules['http']>;

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

let modules: SdkModules | undefined;
let oidc: OidcModule | undefined;
let portal: PortalModule | undefined;
let sts: StsModule | undefined;
let http: HttpModule | undefined;

function sdkModules(): SdkModules {
  // A require() inside a function, which the bundler turns into `require("./sdk.js")`.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  modules ??= require('./sdkModules') as SdkModules;
  return modules;
}

/** Whether the SDK has been required (its file parsed, in the bundle) in this process. */
export function sdkRequired(): boolean {
  return modules !== undefined;
}

/** `@aws-sdk/client-sso-oidc`, loaded on first use. */
export function oidcSdk(): OidcModule {
  oidc ??= sdkModules().oidc();
  return oidc;
}

/** `@aws-sdk/client-sso`, loaded on first use. */
export function portalSdk(): PortalModule {
  portal ??= sdkModules().portal();
  return portal;
}

/** `@aws-sdk/client-sts`, loaded on first use (a chained profile's credentials). */
export function stsSdk(): StsModule {
  sts ??= sdkModules().sts();
  return sts;
}

/** The SDK's Node request handler, loaded on first use (the command line's proxy or certificate authorities). */
export function httpSdk(): HttpModule {
  http ??= sdkModules().http();
  return http;
}

