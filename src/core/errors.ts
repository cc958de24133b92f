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
  | 'InvalidCallback';

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
export function httpStatus(e: unknown): number | undefined {
  const m = (e as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata;
  return m?.httpStatusCode;
}

/**
 * Replaces every occurrence of the given secrets with `***`. Used on anything that may
 * carry a service message before it reaches a log or the user.
 */
export function redact(text: string, secrets: Iterable<string | undefined>): string {
  let out = text;
  for (const s of secrets) {
    if (s && s.length >= 6) out = out.split(s).join('***');
  }
  return out;
}
