// Lists accounts and roles and fetches role credentials from the SSO portal, paced by the adaptive limiter and retried to a deadline.
//
// Retries belong here, not to the SDK. The clients from endpoints.ts use maxAttempts 1: the SDK's standard
// retry strategy keeps a per-client retry quota that throttling drains in seconds, after which every call
// of a 2,000-account fan-out fails on its first 429. Here each call instead retries 429s, 5xx and network
// errors with jittered exponential backoff until its own deadline, and the shared limiter slows the whole
// fan-out down to what the portal sustains. An injected client should be built the same way.
import { setMaxListeners } from 'node:events';
import { createPortalClient } from '../endpoints';
import { CallContext, SsoError, TransientKind, classifyFailure, describeCause } from '../errors';
import { isAccountId } from '../names';
import { WorkPool } from '../pool';
import { Clock, Sleep, realSleep, systemClock } from '../ports';
import { PortalClientLike, portalSdk } from '../sdk';
import type { Network } from '../network';
import { Account, Role, RoleCredentials } from '../types';
import { AdaptiveRateLimiter, Permit } from './rateLimiter';

export type { PortalClientLike } from '../sdk';

export interface PortalOptions {
  region: string;
  /** Environment for the endpoint (`AWS_ENDPOINT_URL_SSO`); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** The command line's proxy and certificate authorities (../network networkPort); the editor gives none. */
  network?: Network;
  client?: PortalClientLike;
  clock?: Clock;
  sleep?: Sleep;
  /** Shared pacing; default: a new limiter with `concurrency`. Share one per portal endpoint and token. */
  limiter?: AdaptiveRateLimiter;
  /** Requests in flight at most when the portal builds its own limiter. Default: the limiter's. */
  concurrency?: number;
  /** How long one call keeps retrying after its first attempt, ms. Default 60 s. */
  retryDeadlineMs?: number;
  /** Source of jitter in [0, 1); default Math.random. */
  random?: () => number;
}

export interface ListAccountsOptions {
  signal?: AbortSignal;
  /** Each page of accounts as it arrives, in service order. */
  onPage?(accounts: Account[]): void;
  /** An account left out because its ID is not 12 digits (the raw value: make it safe to show). */
  onSkipped?(accountId: string): void;
}

export interface ListAllOptions {
  signal?: AbortSignal;
  onAccounts?(page: Account[]): void;
  onRoles?(accountId: string, roles: Role[]): void;
  onAccountError?(accountId: string, err: SsoError): void;
  /** As ListAccountsOptions.onSkipped. */
  onSkippedAccount?(accountId: string): void;
}

export interface Listing {
  /** In service order. */
  accounts: Account[];
  /** Roles of every account listed successfully, in the order of `accounts`. */
  roles: Map<string, Role[]>;
  /** Accounts whose roles could not be listed, with why. */
  failed: Map<string, SsoError>;
}

interface PortalCall {
  /** What the call was, for messages: never the token. */
  what: string;
  signal?: AbortSignal;
  priority?: boolean;
  accountId?: string;
  roleName?: string;
}

const DEFAULT_DEADLINE_MS = 60_000;
const THROTTLE_BASE_MS = 50;
const ERROR_BASE_MS = 200;
const MAX_BACKOFF_MS = 5_000;
const ACCOUNT_PAGE_SIZE = 100;
const MAX_PAGES = 10_000;

export class Portal {
  private readonly region: string;
  private readonly env?: NodeJS.ProcessEnv;
  private readonly network?: Network;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly limiter: AdaptiveRateLimiter;
  private readonly deadlineMs: number;
  private readonly random: () => number;
  private client: PortalClientLike | undefined;
  /** The client was built here, so it is ours to destroy. */
  private ownsClient = false;

  constructor(opts: PortalOptions) {
    this.region = opts.region;
    this.env = opts.env;
    this.network = opts.network;
    this.client = opts.client;
    this.clock = opts.clock ?? systemClock;
    this.sleep = opts.sleep ?? realSleep;
    this.limiter =
      opts.limiter ?? new AdaptiveRateLimiter({ clock: this.clock, sleep: this.sleep, concurrency: opts.concurrency });
    this.deadlineMs = opts.retryDeadlineMs ?? DEFAULT_DEADLINE_MS;
    this.random = opts.random ?? Math.random;
  }

  /** Closes the sockets of the client this portal built; an injected client is left alone. */
  dispose(): void {
    if (this.ownsClient) (this.client as { destroy?: () => void } | undefined)?.destroy?.();
    this.client = undefined;
    this.ownsClient = false;
  }

  /** The limiter pacing this portal's calls (for diagnostics and sharing). */
  get rateLimiter(): AdaptiveRateLimiter {
    return this.limiter;
  }

  /** Every account the token can see, all pages, in service order. */
  async listAccounts(accessToken: string, opts: ListAccountsOptions = {}): Promise<Account[]> {
    const { ListAccountsCommand } = this.sdk();
    const out: Account[] = [];
    const seen = new Set<string>();
    const tokens = new Set<string>();
    let nextToken: string | undefined;
    for (let pages = 0; ; pages++) {
      const page = await this.call(
        () => new ListAccountsCommand({ accessToken, maxResults: ACCOUNT_PAGE_SIZE, nextToken }),
        parseAccountsPage,
        // Pages go first so that the next page is under way while this one's roles are listed.
        { what: 'listing accounts', signal: opts.signal, priority: true },
      );
      for (const id of page.skipped) opts.onSkipped?.(id);
      const fresh = page.accounts.filter((a) => !seen.has(a.accountId));
      for (const a of fresh) seen.add(a.accountId);
      out.push(...fresh);
      if (fresh.length > 0) opts.onPage?.(fresh);
      nextToken = page.nextToken;
      if (!nextToken) return out;
      if (tokens.has(nextToken) || pages >= MAX_PAGES) throw badResponse('listing accounts', 'the page token repeats');
      tokens.add(nextToken);
    }
  }

  /** Every role the token may assume in one account, all pages. */
  async listRoles(accessToken: string, accountId: string, opts: { signal?: AbortSignal; priority?: boolean } = {}): Promise<Role[]> {
    const { ListAccountRolesCommand } = this.sdk();
    const what = `listing the roles of account ${accountId}`;
    const out: Role[] = [];
    const seen = new Set<string>();
    const tokens = new Set<string>();
    let nextToken: string | undefined;
    let started = false;
    for (let pages = 0; ; pages++) {
      const page = await this.call(
        () => new ListAccountRolesCommand({ accessToken, accountId, maxResults: 100, nextToken }),
        (o) => parseRolesPage(o, accountId, what),
        // Once an account is under way, its further pages go first: finished accounts beat half-listed ones.
        { what, signal: opts.signal, priority: opts.priority || started, accountId },
      );
      started = true;
      for (const r of page.roles) {
        if (!seen.has(r.roleName)) {
          seen.add(r.roleName);
          out.push(r);
        }
      }
      nextToken = page.nextToken;
      if (!nextToken) return out;
      if (tokens.has(nextToken) || pages >= MAX_PAGES) throw badResponse(what, 'the page token repeats');
      tokens.add(nextToken);
    }
  }

  /**
   * Accounts and the roles of each, fanned out behind the limiter. Roles of the first page are listed while
   * later pages load; callbacks report progress as it happens. An account whose roles cannot be listed
   * lands in `failed`; an ended session stops everything and rejects with SessionEnded.
   */
  async listAll(accessToken: string, opts: ListAllOptions = {}): Promise<Listing> {
    const ctl = new AbortController();
    // Every worker, request and backoff of the fan-out listens on it; their number is bounded by the pool.
    setMaxListeners(0, ctl.signal);
    const outer = opts.signal;
    const onOuterAbort = () => ctl.abort(outer?.reason);
    if (outer?.aborted) throw cancelled(outer.reason);
    outer?.addEventListener('abort', onOuterAbort, { once: true });

    let fatal: unknown;
    const stop = (e: unknown) => {
      if (fatal === undefined) fatal = e;
      ctl.abort();
    };
    const got = new Map<string, Role[]>();
    const failed = new Map<string, SsoError>();

    const rolesOf = async (accountId: string): Promise<void> => {
      try {
        const roles = await this.listRoles(accessToken, accountId, { signal: ctl.signal });
        got.set(accountId, roles);
        opts.onRoles?.(accountId, roles);
      } catch (e) {
        if (ctl.signal.aborted) return;
        if (!(e instanceof SsoError) || e.code === 'SessionEnded' || e.code === 'NotSignedIn' || e.code === 'Unexpected') {
          stop(e);
          return;
        }
        failed.set(accountId, e);
        try {
          opts.onAccountError?.(accountId, e);
        } catch (cbErr) {
          stop(cbErr);
        }
      }
    };

    // Workers pull accounts as pages arrive. Twice the limiter's concurrency keeps it saturated.
    const pool = new WorkPool<string>({ workers: this.limiter.concurrency * 2, run: rolesOf, signal: ctl.signal });

    try {
      let accounts: Account[] = [];
      try {
        accounts = await this.listAccounts(accessToken, {
          signal: ctl.signal,
          onSkipped: opts.onSkippedAccount,
          onPage: (page) => {
            opts.onAccounts?.(page);
            pool.push(...page.map((a) => a.accountId));
          },
        });
      } catch (e) {
        stop(e);
      }
      pool.close();
      await pool.done;
      if (outer?.aborted) throw cancelled(outer.reason);
      if (fatal !== undefined) throw fatal;
      const roles = new Map<string, Role[]>();
      for (const a of accounts) {
        const r = got.get(a.accountId);
        if (r) roles.set(a.accountId, r);
      }
      return { accounts, roles, failed };
    } finally {
      outer?.removeEventListener('abort', onOuterAbort);
    }
  }

  /** Short-lived credentials for one role. */
  async getRoleCredentials(accessToken: string, accountId: string, roleName: string, opts: { signal?: AbortSignal } = {}): Promise<RoleCredentials> {
    const { GetRoleCredentialsCommand } = this.sdk();
    const what = `getting credentials for role ${roleName} in account ${accountId}`;
    return this.call(
      () => new GetRoleCredentialsCommand({ accessToken, accountId, roleName }),
      (o) => parseCredentials(o, what),
      { what, signal: opts.signal, priority: true, accountId, roleName },
    );
  }

  // ---- one call, retried to its deadline -------------------------------------------------------

  private async call<T>(build: () => unknown, parse: (out: unknown) => T, ctx: PortalCall): Promise<T> {
    const client = this.portalClient();
    let deadline = Infinity;
    for (let attempt = 1; ; attempt++) {
      if (ctx.signal?.aborted) throw cancelled(ctx.signal.reason);
      const command = build();
      let permit: Permit | undefined;
      let notGranted: unknown;
      const take = async (): Promise<void> => {
        try {
          // A call that has started once jumps the queue on retry, so its deadline measures failing, not waiting.
          permit = await this.limiter.acquire({ signal: ctx.signal, priority: ctx.priority || attempt > 1 });
        } catch (e) {
          notGranted = e;
          throw e;
        }
        if (deadline === Infinity) deadline = this.clock.now() + this.deadlineMs;
      };
      let out: unknown;
      try {
        if (!(this.ownsClient && takeAtWire(command, take))) await take();
        out = await client.send(command, ctx.signal ? { abortSignal: ctx.signal } : undefined);
        permit!.release('ok');
      } catch (e) {
        if (notGranted !== undefined) throw cancelled(notGranted);
        const f = classifyFailure(e, portalContext(ctx));
        // (No permit: the SDK failed before the request was ready to go, which says nothing about the throttle.)
        permit?.release(f.kind === 'throttled' ? 'throttled' : 'failed');
        if (ctx.signal?.aborted || f.kind === 'cancelled') throw cancelled(e);
        if (f.kind === 'fatal') throw f.error;
        if (deadline === Infinity) deadline = this.clock.now() + this.deadlineMs;
        const remaining = deadline - this.clock.now();
        if (remaining <= 0) throw gaveUp(f.kind, ctx, this.deadlineMs, e);
        const base = f.kind === 'throttled' ? THROTTLE_BASE_MS : ERROR_BASE_MS;
        const cap = Math.min(MAX_BACKOFF_MS, base * 2 ** Math.min(attempt - 1, 16));
        // Equal jitter: never retry at once, never in lockstep with the other calls that failed together.
        const delay = Math.min(remaining, cap / 2 + this.random() * (cap / 2));
        try {
          await this.sleep(delay, ctx.signal);
        } catch (se) {
          throw cancelled(se);
        }
        continue;
      }
      return parse(out);
    }
  }

  private sdk() {
    return portalSdk();
  }

  private portalClient(): PortalClientLike {
    if (!this.client) {
      this.client = createPortalClient(this.region, { env: this.env, network: this.network });
      this.ownsClient = true;
    }
    return this.client;
  }
}

// ---- errors ---------------------------------------------------------------------------------------

/** The portal's words for the one classifier in ../errors (401 → SessionEnded, 403 → AccessDenied, …). */
function portalContext(ctx: PortalCall): CallContext {
  return { service: 'portal', what: ctx.what, accountId: ctx.accountId, roleName: ctx.roleName };
}

function gaveUp(kind: TransientKind, ctx: PortalCall, deadlineMs: number, e: unknown): SsoError {
  const secs = Math.round(deadlineMs / 100) / 10;
  if (kind === 'throttled') {
    return new SsoError('Throttled', `The AWS SSO portal kept throttling requests while ${ctx.what} for ${secs} s. Try again in a minute.`, { cause: e });
  }
  return new SsoError('Network', `The AWS SSO portal kept failing while ${ctx.what} for ${secs} s (last: ${describeCause(e)}).`, { cause: e });
}

function badResponse(what: string, detail: string, cause?: unknown): SsoError {
  return new SsoError('BadResponse', `The AWS SSO portal sent an unexpected response while ${what}: ${detail}.`, { cause });
}

/**
 * Takes the permit inside the SDK's pipeline, as the last step before its HTTP handler, so that the limiter's
 * send time is when the request leaves (serialising and the SDK's other steps take 0.5-2 ms here, which
 * against a server that holds no burst is a tenth of the spacing at 50 requests/s). False when `command`
 * has no middleware stack: then the permit is taken before send.
 */
function takeAtWire(command: unknown, take: () => Promise<void>): boolean {
  const stack = (command as { middlewareStack?: { add(mw: unknown, options: Record<string, unknown>): void } }).middlewareStack;
  if (typeof stack?.add !== 'function') return false;
  stack.add(
    (next: (args: unknown) => Promise<unknown>) => async (args: unknown) => {
      await take();
      return next(args);
    },
    // Innermost of the last step: the HTTP handler is next.
    { step: 'deserialize', priority: 'low', name: 'awsSsoProfilesRateLimit' },
  );
  return true;
}

function cancelled(cause: unknown): SsoError {
  if (cause instanceof SsoError && cause.code === 'Cancelled') return cause;
  return new SsoError('Cancelled', 'The request to the AWS SSO portal was cancelled.', { cause });
}

// ---- response shapes ------------------------------------------------------------------------------

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function nonEmpty(v: unknown): v is string {
  return typeof v === 'string' && v.length > 0;
}

function pageToken(o: Record<string, unknown>, what: string): string | undefined {
  const t = o.nextToken;
  if (t === undefined || t === null || t === '') return undefined;
  if (typeof t !== 'string') throw badResponse(what, 'nextToken is not a string');
  return t;
}

/**
 * One page of accounts. An account ID that is not 12 digits is never an account: it is left out
 * (in `skipped`) here, before anything prints, stores or links it.
 */
function parseAccountsPage(out: unknown): { accounts: Account[]; skipped: string[]; nextToken?: string } {
  const what = 'listing accounts';
  if (!isObject(out)) throw badResponse(what, 'the body is not an object');
  const list = out.accountList ?? [];
  if (!Array.isArray(list)) throw badResponse(what, 'accountList is not a list');
  const accounts: Account[] = [];
  const skipped: string[] = [];
  for (const a of list) {
    if (!isObject(a) || !nonEmpty(a.accountId)) throw badResponse(what, 'an account has no accountId');
    if (!isAccountId(a.accountId)) {
      skipped.push(a.accountId);
      continue;
    }
    const acct: Account = { accountId: a.accountId, accountName: nonEmpty(a.accountName) ? a.accountName : a.accountId };
    if (nonEmpty(a.emailAddress)) acct.emailAddress = a.emailAddress;
    accounts.push(acct);
  }
  return { accounts, skipped, nextToken: pageToken(out, what) };
}

function parseRolesPage(out: unknown, accountId: string, what: string): { roles: Role[]; nextToken?: string } {
  if (!isObject(out)) throw badResponse(what, 'the body is not an object');
  const list = out.roleList ?? [];
  if (!Array.isArray(list)) throw badResponse(what, 'roleList is not a list');
  const roles = list.map((r): Role => {
    if (!isObject(r) || !nonEmpty(r.roleName)) throw badResponse(what, 'a role has no roleName');
    return { accountId, roleName: r.roleName };
  });
  return { roles, nextToken: pageToken(out, what) };
}

function parseCredentials(out: unknown, what: string): RoleCredentials {
  const c = isObject(out) ? out.roleCredentials : undefined;
  if (!isObject(c)) throw badResponse(what, 'roleCredentials is missing');
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = c;
  if (!nonEmpty(accessKeyId) || !nonEmpty(secretAccessKey) || !nonEmpty(sessionToken)) {
    throw badResponse(what, 'the credentials are incomplete');
  }
  const exp = typeof expiration === 'number' ? expiration : typeof expiration === 'string' ? Number(expiration) : NaN;
  if (!Number.isFinite(exp) || exp <= 0) throw badResponse(what, 'the expiration is not a time');
  return { accessKeyId, secretAccessKey, sessionToken, expiration: exp };
}
