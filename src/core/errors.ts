// The core's errors: one class, a stable code per cause, and a message that says what to do.
// Messages never contain a token or secret; `cause` may hold the SDK error for the log.

export type SsoErrorCode =
  /** The device code or authorization request expired before the user approved it. */
  | 'ExpiredCode'
  /** The user denied the authorization request in the browser. */
  | 'AccessDenied'
  /** The session cannot be refreshed any more: sign in again. */
  | 'SessionEnded'
  /** No token in the cache for this session. */
  | 'NotSignedIn'
  /** The user or the caller cancelled. */
  | 'Cancelled'
  /** A deadline passed (PKCE callback, retries). */
  | 'Timeout'
  /** The service could not be reached or kept failing. */
  | 'Network'
  /** The portal throttled beyond our retry deadline. */
  | 'Throttled'
  /** The service answered something we cannot use (malformed, unexpected). */
  | 'BadResponse'
  /** Input the user gave is invalid (start URL, profile name, region). */
  | 'InvalidInput'
  /** The config file cannot be read, parsed by the CLI, or written. */
  | 'ConfigFile'
  /** The PKCE callback came back with a wrong state or path. */
  | 'InvalidCallback'
  /** The loopback port for the browser's redirect could not be opened (in use, not allowed). */
  | 'LoopbackUnavailable'
  /** A failure we did not expect (a bug, an unknown error): the log has what it was. */
  | 'Unexpected';

export class SsoError extends Error {
  constructor(
    readonly code: SsoErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SsoError';
  }
}

export function isSsoError(e: unknown, code?: SsoErrorCode): e is SsoError {
  return e instanceof SsoError && (code === undefined || e.code === code);
}

export function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}

/** The SDK's error name (`AuthorizationPendingException`, …), or undefined. */
export function errorName(e: unknown): string | undefined {
  if (e && typeof e === 'object') {
    const n = (e as { name?: unknown; Code?: unknown }).name;
    if (typeof n === 'string') return n;
  }
  return undefined;
}

/** HTTP status of an SDK error, when it came from a response. */
function httpStatus(e: unknown): number | undefined {
  const m = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  return m?.httpStatusCode;
}

/** The Node or SDK error code (`ECONNRESET`, `ERR_INVALID_CHAR`, …), or undefined. */
function errorCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | undefined)?.code;
  return typeof c === 'string' ? c : undefined;
}

/** The AWS request ID of an SDK error (support asks for it), when the service answered. */
export function requestId(e: unknown): string | undefined {
  const id = (e as { $metadata?: { requestId?: unknown } } | undefined)?.$metadata?.requestId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/**
 * A short, secret-free description of an error for a log line: its name, HTTP status, code and
 * AWS request ID. Never the message, which may quote a request.
 */
export function describeError(e: unknown): string {
  if (isSsoError(e)) return `${e.code}`;
  const status = httpStatus(e);
  const id = requestId(e);
  return [errorName(e) ?? 'Error', status !== undefined ? `HTTP ${status}` : undefined, errorCode(e), id ? `request ${id}` : undefined]
    .filter(Boolean)
    .join(' ');
}

/** The shortest words for what went wrong, for a message: `HTTP 503`, `ECONNRESET`, `TimeoutError`. */
export function describeCause(e: unknown): string {
  const status = httpStatus(e);
  if (status !== undefined) return `HTTP ${status}`;
  const code = errorCode(e);
  if (code && /^[A-Z0-9_]+$/.test(code)) return code;
  return errorName(e) ?? 'connection failed';
}

// ---- which failures are worth retrying ------------------------------------------------------------

/** A call to IAM Identity Center, for the words of its failure. Never a token. */
export interface CallContext {
  /** SSO OIDC (sign-in, refresh), the SSO portal (accounts, roles, credentials, logout) or STS (a chained profile's AssumeRole). */
  service: 'oidc' | 'portal' | 'sts';
  /** What was being done, as in "… while <what>": "renewing the sign-in", "listing accounts". */
  what: string;
  region?: string;
  accountId?: string;
  roleName?: string;
  /** STS: the role being assumed, and whether an external ID was sent. */
  roleArn?: string;
  externalId?: boolean;
}

/**
 * What to do about a failure. 'throttled', 'server' and 'network' are worth retrying later;
 * 'cancelled' means the caller gave up; 'fatal' is never retried and carries the error to show.
 */
export type Failure =
  | { kind: 'cancelled' }
  | { kind: 'throttled' | 'server' | 'network' }
  | { kind: 'fatal'; error: SsoError };

export type TransientKind = 'throttled' | 'server' | 'network';

/** Transport failures that say nothing about the request: the next attempt may well work. */
const NETWORK_CODES = new Set([
  'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH',
  'EHOSTUNREACH', 'ENETDOWN', 'EHOSTDOWN', 'UND_ERR_SOCKET', 'ERR_HTTP2_STREAM_ERROR',
]);
/** The SDK's own timeouts (connection and request, with throwOnRequestTimeout). */
const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout']);
/** Modelled throttling and server faults; the status usually says so too, but not always. */
const THROTTLING_NAMES = new Set(['ThrottlingException', 'TooManyRequestsException']);
const SERVER_NAMES = new Set(['InternalServerException', 'ServiceUnavailableException']);
/** Node refusing to send a header value: only our cached token goes into a header we set. */
const HEADER_CODES = new Set(['ERR_INVALID_CHAR', 'ERR_HTTP_INVALID_HEADER_VALUE', 'ERR_INVALID_HTTP_TOKEN']);
/** A loopback listener that could not be opened. */
const BIND_CODES = new Set(['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'EPERM']);
const TLS_CODE = /^(EPROTO|ERR_TLS_|ERR_SSL_|CERT_|UNABLE_TO_|SELF_SIGNED_|DEPTH_ZERO_SELF_SIGNED_CERT|HOSTNAME_MISMATCH)/;

function serviceName(ctx: CallContext): string {
  const where = ctx.region ? ` in ${ctx.region}` : '';
  return ctx.service === 'portal' ? `The AWS SSO portal${where}` : ctx.service === 'sts' ? `AWS STS${where}` : `IAM Identity Center${where}`;
}

/**
 * The one rule for what a failed call means. Transient only for known network error codes, the
 * SDK's timeouts, 429 and 5xx (and the modelled throttling/server exceptions); everything else is
 * fatal with a message that says what it is. An SsoError passes through as it is.
 */
export function classifyFailure(e: unknown, ctx: CallContext): Failure {
  if (isSsoError(e)) return e.code === 'Cancelled' ? { kind: 'cancelled' } : { kind: 'fatal', error: e };
  if (isAbortError(e)) return { kind: 'cancelled' };
  const name = errorName(e);
  const status = httpStatus(e);
  const code = errorCode(e);
  if (status === 429 || (name !== undefined && THROTTLING_NAMES.has(name))) return { kind: 'throttled' };
  if ((status !== undefined && status >= 500) || (name !== undefined && SERVER_NAMES.has(name))) return { kind: 'server' };
  if (status !== undefined || (e && typeof e === 'object' && '$fault' in e)) return { kind: 'fatal', error: refused(e, status, name, ctx) };
  if ((code !== undefined && NETWORK_CODES.has(code)) || (name !== undefined && TIMEOUT_NAMES.has(name))) return { kind: 'network' };
  return { kind: 'fatal', error: localFailure(e, code, ctx) };
}

/** The service answered, and not with something worth retrying. */
function refused(e: unknown, status: number | undefined, name: string | undefined, ctx: CallContext): SsoError {
  if (ctx.service === 'sts') return stsRefused(e, status, name, ctx);
  if (ctx.service === 'portal') {
    if (status === 401 || name === 'UnauthorizedException') {
      return new SsoError('SessionEnded', 'Your AWS SSO session has expired or was revoked. Sign in again to continue.', { cause: e });
    }
    if (status === 403 || name === 'ForbiddenException') {
      const msg = ctx.roleName
        ? `You do not have access to role ${ctx.roleName} in account ${ctx.accountId}; it may have been unassigned.`
        : ctx.accountId
          ? `You do not have access to account ${ctx.accountId}.`
          : `The AWS SSO portal refused access while ${ctx.what}.`;
      return new SsoError('AccessDenied', msg, { cause: e });
    }
    // A 2xx here is the SDK failing to parse the body; any other 4xx is a request the portal will never accept.
    const detail = status !== undefined && status < 300 ? 'the response could not be read' : `HTTP ${status ?? '?'}${name ? ` ${name}` : ''}`;
    return new SsoError('BadResponse', `The AWS SSO portal sent an unexpected response while ${ctx.what}: ${detail}.`, { cause: e });
  }
  if (status !== undefined && status < 300) {
    return new SsoError('BadResponse', `${serviceName(ctx)} sent a response that could not be read while ${ctx.what}. Try again.`, { cause: e });
  }
  return new SsoError('BadResponse', `${serviceName(ctx)} refused the request while ${ctx.what} (${name ?? `HTTP ${status}`}).`, { cause: e });
}

/**
 * STS refused an AssumeRole. STS answers a trust policy that does not allow the caller and an
 * external ID that does not match it with the same AccessDenied, so the message names both when
 * an external ID was sent. STS's own message is never quoted: it may echo the request.
 */
function stsRefused(e: unknown, status: number | undefined, name: string | undefined, ctx: CallContext): SsoError {
  const target = ctx.roleArn ?? 'the role';
  const from = ctx.roleName ? `role ${ctx.roleName}${ctx.accountId ? ` in account ${ctx.accountId}` : ''}` : 'the SSO role';
  if (name === 'AccessDenied' || name === 'AccessDeniedException' || status === 403) {
    const why = ctx.externalId
      ? `Either the trust policy of ${target} does not allow ${from} to assume it (sts:AssumeRole), or the external ID in the profile does not match the one its trust policy requires (sts:ExternalId): check both with the role's owner.`
      : `The trust policy of ${target} must allow ${from} to assume it (sts:AssumeRole); if that policy requires an external ID, add it to the profile (external_id).`;
    return new SsoError('AccessDenied', `AWS refused to let ${from} assume ${target}. ${why}`, { cause: e });
  }
  if (name === 'ExpiredToken' || name === 'ExpiredTokenException' || name === 'InvalidClientTokenId' || name === 'SignatureDoesNotMatch') {
    return new SsoError('BadResponse', `AWS STS did not accept the credentials of ${from} while ${ctx.what} (${name}). Try again; if it keeps failing, sign in again.`, { cause: e });
  }
  if (name === 'RegionDisabledException') {
    return new SsoError('InvalidInput', `AWS STS is not activated in ${ctx.region ?? 'this region'} for the account of ${target}: set the profile's region to one where it is.`, { cause: e });
  }
  if (name === 'ValidationError') {
    const msg = (e as { message?: unknown }).message;
    const duration = typeof msg === 'string' && /DurationSeconds/i.test(msg);
    return new SsoError(
      'InvalidInput',
      duration
        ? `The session duration is longer than ${target} allows (at most one hour for a role assumed from another role): lower duration_seconds in the profile.`
        : `AWS STS refused the request to assume ${target} as invalid (ValidationError): check the role ARN, session name and external ID.`,
      { cause: e },
    );
  }
  const detail = status !== undefined && status < 300 ? 'the response could not be read' : `HTTP ${status ?? '?'}${name ? ` ${name}` : ''}`;
  return new SsoError('BadResponse', `AWS STS sent an unexpected response while ${ctx.what}: ${detail}.`, { cause: e });
}

/** No answer from the service, and not a known network failure: say what it is. */
function localFailure(e: unknown, code: string | undefined, ctx: CallContext): SsoError {
  const syscall = (e as { syscall?: unknown } | undefined)?.syscall;
  if (code !== undefined && BIND_CODES.has(code) && (syscall === 'listen' || syscall === 'bind')) {
    return new SsoError(
      'LoopbackUnavailable',
      `The sign-in could not open a port on this machine (127.0.0.1) for the browser to come back to (${code}). Sign in with a device code instead.`,
      { cause: e },
    );
  }
  if (code !== undefined && HEADER_CODES.has(code) && ctx.service === 'portal') {
    return new SsoError(
      'SessionEnded',
      `The cached sign-in token is malformed (it holds characters a request cannot carry), so it could not be used while ${ctx.what}. Sign in again.`,
      { cause: e },
    );
  }
  if (code !== undefined && TLS_CODE.test(code)) {
    return new SsoError(
      'Network',
      `${serviceName(ctx)} could not be reached securely while ${ctx.what} (${code}). Check the endpoint, any proxy and this machine's certificates.`,
      { cause: e },
    );
  }
  const what = [errorName(e) ?? 'Error', code].filter(Boolean).join(' ');
  return new SsoError('Unexpected', `An unexpected error happened while ${ctx.what} (${what}). See the log for details.`, { cause: e });
}

export function isTransientFailure(f: Failure): f is { kind: TransientKind } {
  return f.kind === 'throttled' || f.kind === 'server' || f.kind === 'network';
}

/**
 * The error to throw for a failed call that is not retried (any more): the fatal error, a
 * Cancelled, or for a transient failure a Network/Throttled error that names the cause.
 */
export function failureError(e: unknown, ctx: CallContext, f: Failure = classifyFailure(e, ctx)): SsoError {
  switch (f.kind) {
    case 'fatal':
      return f.error;
    case 'cancelled':
      return isSsoError(e, 'Cancelled') ? e : new SsoError('Cancelled', `Cancelled while ${ctx.what}.`, { cause: e });
    case 'throttled':
      return new SsoError('Throttled', `${serviceName(ctx)} is throttling requests (${describeCause(e)}) while ${ctx.what}. Try again in a minute.`, { cause: e });
    case 'server':
      return new SsoError('Network', `${serviceName(ctx)} failed while ${ctx.what} (${describeCause(e)}). Try again in a moment.`, { cause: e });
    case 'network':
      return new SsoError('Network', `Could not reach ${serviceName(ctx).replace(/^The /, 'the ')} while ${ctx.what} (${describeCause(e)}). Check your connection and try again.`, { cause: e });
  }
}
