// The SSO OIDC / portal calls the sign-in code makes, and how their errors are classified.
//
// SDK command classes are loaded lazily so that reading the cache never pays for the SDK.
import type {
  CreateTokenCommandInput,
  CreateTokenCommandOutput,
  RegisterClientCommandInput,
  RegisterClientCommandOutput,
  StartDeviceAuthorizationCommandInput,
  StartDeviceAuthorizationCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import type { LogoutCommandInput } from '@aws-sdk/client-sso';
import { errorName, httpStatus, isAbortError, isSsoError, SsoError } from '../errors';
import { abortError } from '../ports';

/**
 * What we need of a client: `send(command, {abortSignal})`. The real SSOOIDCClient / SSOClient fit;
 * tests pass doubles that switch on `command.constructor.name` and read `command.input`.
 */
export interface OidcClientLike {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  send(command: any, options?: any): Promise<any>;
  destroy?(): void;
}
export type PortalClientLike = OidcClientLike;

type OidcModule = typeof import('@aws-sdk/client-sso-oidc');
type PortalModule = typeof import('@aws-sdk/client-sso');

function oidcSdk(): OidcModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-sso-oidc') as OidcModule;
}

function portalSdk(): PortalModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-sso') as PortalModule;
}

async function send<T>(client: OidcClientLike, command: unknown, signal?: AbortSignal): Promise<T> {
  if (signal?.aborted) throw abortError(signal);
  return (await client.send(command, signal ? { abortSignal: signal } : undefined)) as T;
}

export function registerClient(client: OidcClientLike, input: RegisterClientCommandInput, signal?: AbortSignal) {
  return send<RegisterClientCommandOutput>(client, new (oidcSdk().RegisterClientCommand)(input), signal);
}

export function startDeviceAuthorization(
  client: OidcClientLike,
  input: StartDeviceAuthorizationCommandInput,
  signal?: AbortSignal,
) {
  return send<StartDeviceAuthorizationCommandOutput>(client, new (oidcSdk().StartDeviceAuthorizationCommand)(input), signal);
}

export function createToken(client: OidcClientLike, input: CreateTokenCommandInput, signal?: AbortSignal) {
  return send<CreateTokenCommandOutput>(client, new (oidcSdk().CreateTokenCommand)(input), signal);
}

export function portalLogout(client: PortalClientLike, input: LogoutCommandInput, signal?: AbortSignal) {
  return send<unknown>(client, new (portalSdk().LogoutCommand)(input), signal);
}

const SERVICE_ERRORS = new Set([
  'AccessDeniedException',
  'AuthorizationPendingException',
  'ExpiredTokenException',
  'InvalidClientException',
  'InvalidClientMetadataException',
  'InvalidGrantException',
  'InvalidRedirectUriException',
  'InvalidRequestException',
  'InvalidRequestRegionException',
  'InvalidScopeException',
  'SlowDownException',
  'UnauthorizedClientException',
  'UnsupportedGrantTypeException',
  'UnauthorizedException',
  'ResourceNotFoundException',
]);

/**
 * A failure worth retrying later: no HTTP answer at all (connection refused, reset, socket timeout),
 * a 5xx, or throttling. Never an abort, never one of our own errors.
 */
export function isTransient(e: unknown): boolean {
  if (isAbortError(e) || isSsoError(e)) return false;
  const name = errorName(e);
  if (name === 'InternalServerException' || name === 'ThrottlingException' || name === 'TooManyRequestsException') {
    return true;
  }
  const status = httpStatus(e);
  // A modelled service answer carries a status; without one it is a transport failure
  // (ECONNREFUSED, TimeoutError, a reset socket) unless it names a known service error.
  if (status === undefined) return !(name !== undefined && SERVICE_ERRORS.has(name));
  return status >= 500 || status === 429;
}

/** Turns an abort into SsoError('Cancelled'); passes everything else through. */
export function asCancelled(e: unknown, signal?: AbortSignal): unknown {
  if (isSsoError(e)) return e;
  if (isAbortError(e) || signal?.aborted) return new SsoError('Cancelled', 'Sign-in was cancelled.', { cause: e });
  return e;
}

/** A short, secret-free description of an error for a log line: its name and HTTP status. */
export function describeError(e: unknown): string {
  if (isSsoError(e)) return `${e.code}`;
  const name = errorName(e) ?? 'Error';
  const status = httpStatus(e);
  const code = (e as { code?: unknown } | undefined)?.code;
  return [name, status !== undefined ? `HTTP ${status}` : undefined, typeof code === 'string' ? code : undefined]
    .filter(Boolean)
    .join(' ');
}
