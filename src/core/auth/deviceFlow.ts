// Device authorization grant (RFC 8628): show a code, then poll CreateToken until the user approves.
import { classifyFailure, describeError, errorName, isSsoError, isTransientFailure, SsoError } from '../errors';
import type { AwsPaths } from '../paths';
import type { Clock, Log, Sleep } from '../ports';
import type { CachedToken, Registration, SsoSession } from '../types';
import { checkSecureUrl } from '../urls';
import { createToken, OidcClientLike, oidcFailure, startDeviceAuthorization } from './clients';
import { registrationClient, tokenFromGrant } from './grant';
import { DEVICE_GRANT_TYPE, forgetRegistration, isClientRejected, sessionLabel, withRegistration } from './registration';
import { formatCliTime } from './tokenCache';

/** RFC 8628 §3.2: the polling interval when the service names none. */
const DEFAULT_INTERVAL_MS = 5_000;
/** RFC 8628 §3.5: what every slow_down adds, for the rest of the flow. */
const SLOW_DOWN_STEP_MS = 5_000;
/** Ceiling of the backoff after transport failures. */
const DEFAULT_MAX_BACKOFF_MS = 60_000;

export interface DevicePrompt {
  userCode: string;
  verificationUri: string;
  verificationUriComplete?: string;
  /** Epoch ms at which the code stops working. */
  expiresAt: number;
}

export interface DeviceFlowContext {
  paths: AwsPaths;
  client: OidcClientLike;
  clock: Clock;
  sleep: Sleep;
  log?: Log;
}

export interface DeviceFlowOptions {
  signal?: AbortSignal;
  /**
   * Called once, after the code is issued and before the first poll. It is not awaited, so a
   * dialog the caller keeps open does not hold up polling; a rejection is logged.
   */
  onPrompt: (prompt: DevicePrompt) => unknown;
  maxBackoffMs?: number;
}

/**
 * Signs in with a device code. Resolves with the new token (not yet written to the cache).
 * Rejects with SsoError: 'ExpiredCode' (the code expired or its deadline passed), 'AccessDenied',
 * 'Cancelled' (the signal aborted, at any point), 'Network' (the service stayed unreachable until
 * the deadline), 'BadResponse' (including a verification page that is not https), 'Unexpected'.
 */
export async function deviceCodeLogin(
  ctx: DeviceFlowContext,
  session: SsoSession,
  opts: DeviceFlowOptions,
): Promise<CachedToken> {
  const { signal } = opts;
  try {
    const rctx = { paths: ctx.paths, client: ctx.client, clock: ctx.clock, log: ctx.log, signal };
    const { reg, auth } = await withRegistration(rctx, session, 'device', async (reg) => ({
      reg,
      auth: await startDeviceAuthorization(
        ctx.client,
        { clientId: reg.clientId, clientSecret: reg.clientSecret, startUrl: session.startUrl },
        signal,
      ),
    }));
    if (!auth?.deviceCode || !auth.userCode || !auth.verificationUri || typeof auth.expiresIn !== 'number') {
      throw new SsoError('BadResponse', 'IAM Identity Center answered StartDeviceAuthorization without a device code.');
    }
    // The caller opens this page for the user to sign in on: never over plain http to another host.
    for (const u of [auth.verificationUri, auth.verificationUriComplete]) {
      if (u === undefined) continue;
      try {
        checkSecureUrl(u, 'The sign-in page');
      } catch (e) {
        throw new SsoError('BadResponse', `IAM Identity Center answered with a sign-in page that is not safe to open. ${(e as Error).message}`);
      }
    }
    const issuedAt = ctx.clock.now();
    const deadline = issuedAt + auth.expiresIn * 1000;
    const intervalMs = typeof auth.interval === 'number' && auth.interval > 0 ? auth.interval * 1000 : DEFAULT_INTERVAL_MS;
    ctx.log?.(`sso: device code issued for ${sessionLabel(session)} (${session.region}), valid until ${formatCliTime(deadline)}`, 'debug');
    const prompt: DevicePrompt = { userCode: auth.userCode, verificationUri: auth.verificationUri, expiresAt: deadline };
    if (auth.verificationUriComplete) prompt.verificationUriComplete = auth.verificationUriComplete;
    const shown = opts.onPrompt(prompt);
    if (shown instanceof Promise) {
      shown.then(undefined, (e: unknown) => ctx.log?.(`sso: the device-code prompt failed: ${describeError(e)}`, 'warn'));
    }
    const grant = await pollDeviceToken({
      client: ctx.client,
      registration: reg,
      deviceCode: auth.deviceCode,
      intervalMs,
      deadline,
      clock: ctx.clock,
      sleep: ctx.sleep,
      signal,
      maxBackoffMs: opts.maxBackoffMs,
      log: ctx.log,
      region: session.region,
    }).catch(async (e: unknown) => {
      if (isClientRejected(e)) await forgetRegistration(ctx.paths, session, 'device');
      throw e;
    });
    return tokenFromGrant(session, registrationClient(reg), grant, ctx.clock.now());
  } catch (e) {
    throw mapFlowError(e, signal, session);
  }
}

export interface PollOptions {
  client: OidcClientLike;
  registration: Registration;
  deviceCode: string;
  intervalMs: number;
  /** Epoch ms: no poll is made at or after it. */
  deadline: number;
  clock: Clock;
  sleep: Sleep;
  signal?: AbortSignal;
  maxBackoffMs?: number;
  log?: Log;
  /** For the words of a failure. */
  region?: string;
}

/**
 * The polling loop. Each poll comes after a wait: the interval (raised for good by every
 * slow_down), or after transport failures an exponential backoff from twice the interval up to
 * `maxBackoffMs`. When the next poll would fall on or after the deadline the loop ends without
 * sleeping: 'ExpiredCode', or 'Network' if the last poll never reached the service.
 */
async function pollDeviceToken(o: PollOptions) {
  const maxBackoff = Math.max(o.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS, o.intervalMs);
  let interval = o.intervalMs;
  let failures = 0;
  let lastFailure: unknown;
  for (;;) {
    const wait = failures === 0 ? interval : Math.min(interval * 2 ** failures, Math.max(maxBackoff, interval));
    if (o.clock.now() + wait >= o.deadline) {
      if (failures > 0) {
        throw new SsoError('Network', 'IAM Identity Center could not be reached before the sign-in code expired.', { cause: lastFailure });
      }
      throw new SsoError('ExpiredCode', 'The sign-in code expired before it was approved. Start the sign-in again.');
    }
    await o.sleep(wait, o.signal);
    try {
      return await createToken(
        o.client,
        {
          grantType: DEVICE_GRANT_TYPE,
          clientId: o.registration.clientId,
          clientSecret: o.registration.clientSecret,
          deviceCode: o.deviceCode,
        },
        o.signal,
      );
    } catch (e) {
      switch (errorName(e)) {
        case 'AuthorizationPendingException':
          failures = 0;
          continue;
        case 'SlowDownException':
          failures = 0;
          interval += SLOW_DOWN_STEP_MS;
          o.log?.(`sso: the service asked to slow down; polling every ${interval / 1000} s`, 'debug');
          continue;
        case 'ExpiredTokenException':
          throw new SsoError('ExpiredCode', 'The sign-in code expired before it was approved. Start the sign-in again.', { cause: e });
        case 'AccessDeniedException':
          throw new SsoError('AccessDenied', 'The sign-in request was denied in the browser.', { cause: e });
      }
      if (o.signal?.aborted) throw e;
      if (!isTransientFailure(classifyFailure(e, { service: 'oidc', what: POLLING, region: o.region }))) throw e;
      failures++;
      lastFailure = e;
      o.log?.(`sso: polling for the token failed (${describeError(e)}); retrying`, 'warn');
    }
  }
}

const POLLING = 'waiting for the device code to be approved';

function mapFlowError(e: unknown, signal: AbortSignal | undefined, session: SsoSession): SsoError {
  if (isSsoError(e)) return e;
  return oidcFailure(e, session, 'signing in with a device code', signal);
}
