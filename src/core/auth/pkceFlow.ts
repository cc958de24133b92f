// Authorization code grant with PKCE (RFC 7636) through a one-shot loopback listener (RFC 8252).
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { oidcEndpoint } from '../endpoints';
import { describeError, errorName, isSsoError, SsoError } from '../errors';
import type { AwsPaths } from '../paths';
import { Clock, Log, realSleep, Sleep } from '../ports';
import type { CachedToken, Registration, SsoSession } from '../types';
import { createToken, OidcClientLike, oidcFailure } from './clients';
import { registrationClient, tokenFromGrant } from './grant';
import { forgetRegistration, getRegistration, isClientRejected, sessionLabel } from './registration';

const CALLBACK_PATH = '/oauth/callback';
const DEFAULT_PKCE_TIMEOUT_MS = 5 * 60_000;
/**
 * How long the listener keeps serving the connections it has after the flow ends, so that the
 * browser gets its page whole (github-authentication waits 5 s the same way). Nothing waits for it.
 */
const LOOPBACK_LINGER_MS = 5_000;
/** Callback errors that mean the service does not know our client (any more). */
const CLIENT_ERRORS = new Set(['invalid_client', 'unauthorized_client']);
const WHAT = 'signing in through the browser';
const UNRESERVED = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';

/** A 64-character code verifier from the unreserved set, each character uniformly random. */
export function makeCodeVerifier(length = 64): string {
  let out = '';
  for (let i = 0; i < length; i++) out += UNRESERVED[randomInt(UNRESERVED.length)];
  return out;
}

/** S256: base64url(sha256(verifier)) without padding. */
export function codeChallenge(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

export interface PkceContext {
  paths: AwsPaths;
  client: OidcClientLike;
  clock: Clock;
  /** Measures the wait for the browser (`timeoutMs`); default real time. */
  sleep?: Sleep;
  env?: NodeJS.ProcessEnv;
  log?: Log;
}

export interface PkceOptions {
  signal?: AbortSignal;
  /** Opens the authorization page. Called only once the listener is bound. */
  openBrowser: (url: string) => unknown;
  /** How long to wait for the browser to come back; default 5 minutes. */
  timeoutMs?: number;
}

function equalStrings(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function page(res: ServerResponse, status: number, title: string, text: string): void {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head>` +
    `<body style="font-family:sans-serif;margin:3em"><h1>${title}</h1><p>${text}</p></body></html>`;
  res.writeHead(status, {
    'Content-Type': 'text/html; charset=utf-8',
    'Cache-Control': 'no-store',
    'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
    Connection: 'close',
  });
  res.end(body);
}

class BrowserOpenFailed {
  constructor(readonly original: unknown) {}
}

interface Callback {
  port: number;
  /** Settles with the authorization code, or an SsoError for an error answer. */
  result: Promise<string>;
  /** Stops accepting at once; connections already open are served, then cut after LOOPBACK_LINGER_MS. */
  close(): void;
}

/** Binds 127.0.0.1 on a free port and waits for one good callback carrying `state`. */
async function listenForCallback(state: () => string | undefined): Promise<Callback> {
  let resolve!: (code: string) => void;
  let reject!: (e: unknown) => void;
  const result = new Promise<string>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  result.catch(() => undefined);
  let done = false;
  let ended = false;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const raw = req.url ?? '';
    let url: URL | undefined;
    try {
      if (raw.startsWith('/')) url = new URL(raw, 'http://127.0.0.1');
    } catch {
      url = undefined;
    }
    if (!url || url.pathname !== CALLBACK_PATH) return page(res, 404, 'Not found', 'Nothing here.');
    if (req.method !== 'GET') return page(res, 400, 'Bad request', 'Unexpected request.');
    // A request that was still on its way when the sign-in ended (timed out, cancelled, or done in another tab).
    if (ended && !done) return page(res, 400, 'Sign-in ended', 'This sign-in is no longer waiting. Return to your editor and sign in again if you need to.');
    const expected = state();
    const got = url.searchParams.get('state');
    // A request without our state is someone else's: refuse it and keep waiting for ours.
    if (done || !expected || !got || !equalStrings(got, expected)) {
      return page(res, 400, 'Bad request', 'This sign-in link is not valid or was already used.');
    }
    const error = url.searchParams.get('error');
    if (error) {
      done = true;
      page(res, 200, 'Sign-in failed', 'The sign-in was not completed. You can close this tab.');
      const safe = /^[a-z_]{1,64}$/.test(error) ? error : 'error';
      return reject(
        safe === 'access_denied'
          ? new SsoError('AccessDenied', 'The sign-in request was denied in the browser.')
          : new SsoError('InvalidCallback', `The browser sign-in came back with an error (${safe}).`, {
              cause: { name: safe },
            }),
      );
    }
    const code = url.searchParams.get('code');
    if (!code) return page(res, 400, 'Bad request', 'The sign-in answer carries no code.');
    done = true;
    page(res, 200, 'Signed in', 'You are signed in to AWS IAM Identity Center. You can close this tab and return to your editor.');
    resolve(code);
  });
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', rej);
      res();
    });
  });
  const close = () => {
    ended = true;
    // close() stops listening and drops idle connections now; a connection with a request in
    // progress is answered first. Whatever is left is cut later, without keeping the process alive.
    const linger = setTimeout(() => server.closeAllConnections(), LOOPBACK_LINGER_MS);
    linger.unref();
    server.close(() => clearTimeout(linger));
  };
  return { port: (server.address() as AddressInfo).port, result, close };
}

/**
 * Signs in through the browser. Resolves with the new token (not yet cached). Rejects with
 * SsoError: 'Timeout', 'Cancelled' (signal aborted), 'AccessDenied', 'InvalidCallback' (another
 * error answer), 'LoopbackUnavailable', 'Network', 'BadResponse', 'Unexpected'; an error thrown by
 * `openBrowser` is passed through as is. The listener stops accepting whatever happens.
 *
 * When the service no longer knows the cached client it shows an error page and never redirects,
 * which looks exactly like a user who never came back: so a timeout, an invalid_client or
 * unauthorized_client answer and a rejected CreateToken all drop the cached registration, and the
 * next sign-in registers anew.
 */
export async function pkceLogin(ctx: PkceContext, session: SsoSession, opts: PkceOptions): Promise<CachedToken> {
  const { signal } = opts;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_PKCE_TIMEOUT_MS;
  const sleep = ctx.sleep ?? realSleep;
  let state: string | undefined;
  let cb: Callback | undefined;
  let reg: Registration | undefined;
  const waiting = new AbortController();
  let onAbort: (() => void) | undefined;
  try {
    if (signal?.aborted) throw new SsoError('Cancelled', 'Sign-in was cancelled.');
    cb = await listenForCallback(() => state);
    const redirectUri = `http://127.0.0.1:${cb.port}${CALLBACK_PATH}`;
    reg = await getRegistration({ paths: ctx.paths, client: ctx.client, clock: ctx.clock, log: ctx.log, signal }, session, 'pkce');
    const client = reg;
    const verifier = makeCodeVerifier();
    state = randomBytes(32).toString('base64url');
    const q = (k: string, v: string) => `${k}=${encodeURIComponent(v)}`;
    const url =
      `${oidcEndpoint(session.region, ctx.env)}/authorize?` +
      [
        q('response_type', 'code'),
        q('client_id', client.clientId),
        q('redirect_uri', redirectUri),
        q('state', state),
        q('code_challenge', codeChallenge(verifier)),
        q('code_challenge_method', 'S256'),
        q('scopes', session.scopes.join(',')),
      ].join('&');

    // Both the wait for the browser and the browser opener itself are bounded by the timeout and the signal.
    const stop = new Promise<never>((_, rej) => {
      sleep(timeoutMs, waiting.signal).then(
        () => rej(new SsoError('Timeout', `The browser sign-in did not complete within ${Math.round(timeoutMs / 1000)} s.`)),
        () => undefined, // the flow ended first
      );
      onAbort = () => rej(new SsoError('Cancelled', 'Sign-in was cancelled.'));
      signal?.addEventListener('abort', onAbort, { once: true });
    });
    stop.catch(() => undefined);
    ctx.log?.(`sso: waiting for the browser sign-in of ${sessionLabel(session)} (${session.region}) on 127.0.0.1:${cb.port}`, 'debug');
    const opened = Promise.resolve()
      .then(() => opts.openBrowser(url))
      .catch((e: unknown) => {
        throw new BrowserOpenFailed(e);
      });
    await Promise.race([opened, stop]);
    const code = await Promise.race([cb.result, stop]);
    waiting.abort();

    const grant = await createToken(
      ctx.client,
      {
        grantType: 'authorization_code',
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        code,
        codeVerifier: verifier,
        redirectUri,
      },
      signal,
    );
    return tokenFromGrant(session, registrationClient(client), grant, ctx.clock.now());
  } catch (e) {
    // The caller's own opener failed: hand its error back untouched.
    if (e instanceof BrowserOpenFailed) throw e.original;
    const err = isSsoError(e)
      ? e
      : errorName(e) === 'AccessDeniedException'
        ? new SsoError('AccessDenied', 'The sign-in request was denied.', { cause: e })
        : oidcFailure(e, session, WHAT, signal);
    if (err.code !== 'Cancelled') {
      ctx.log?.(`sso: browser sign-in failed for ${sessionLabel(session)}: ${describeError(err)}${e !== err ? ` (${describeError(e)})` : ''}`, 'error');
    }
    if (reg && clientLooksDead(e, err)) {
      ctx.log?.(`sso: dropping the cached browser sign-in registration of ${sessionLabel(session)}; the next sign-in registers again`, 'warn');
      await forgetRegistration(ctx.paths, session, 'pkce').catch(() => undefined);
    }
    throw err;
  } finally {
    waiting.abort();
    if (onAbort) signal?.removeEventListener('abort', onAbort);
    cb?.close();
  }
}

/** The service may no longer know our client: a timeout (its error page never redirects), a client error. */
function clientLooksDead(e: unknown, err: SsoError): boolean {
  if (err.code === 'Timeout' || isClientRejected(e)) return true;
  return err.code === 'InvalidCallback' && CLIENT_ERRORS.has(errorName(err.cause) ?? '');
}
