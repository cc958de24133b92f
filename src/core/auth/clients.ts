// The SSO OIDC / portal calls the sign-in code makes, and turning their failures into SsoErrors.
//
// SDK command classes come from the lazy loader in ../sdk, so that reading the cache never pays for the SDK.
import type {
  CreateTokenCommandInput,
  CreateTokenCommandOutput,
  RegisterClientCommandInput,
  RegisterClientCommandOutput,
  StartDeviceAuthorizationCommandInput,
  StartDeviceAuthorizationCommandOutput,
} from '@aws-sdk/client-sso-oidc';
import type { LogoutCommandInput } from '@aws-sdk/client-sso';
import { failureError, isAbortError, isSsoError, SsoError } from '../errors';
import { abortError } from '../ports';
import { OidcClientLike, oidcSdk, PortalClientLike, portalSdk } from '../sdk';
import type { SsoSession } from '../types';

export type { OidcClientLike, PortalClientLike } from '../sdk';

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

/** Turns an abort into SsoError('Cancelled'); passes everything else through. */
function asCancelled(e: unknown, signal?: AbortSignal): unknown {
  if (isSsoError(e)) return e;
  if (isAbortError(e) || signal?.aborted) return new SsoError('Cancelled', 'Sign-in was cancelled.', { cause: e });
  return e;
}

/** A failed SSO OIDC call of a sign-in step, as the SsoError to throw (see classifyFailure). */
export function oidcFailure(e: unknown, session: Pick<SsoSession, 'region'>, what: string, signal?: AbortSignal): SsoError {
  const c = asCancelled(e, signal);
  return isSsoError(c) ? c : failureError(e, { service: 'oidc', what, region: session.region });
}
