// One session's accounts and roles as the tree shows them: accounts listed on first expand and
// shown page by page as they arrive (sorted so far), roles on demand (an expanded account jumps the queue) and prefetched in the background through
// the portal's shared rate limiter. No `vscode` import: unit-tested with a fake portal.
import { setMaxListeners } from 'node:events';
import { isSsoError, SsoError } from '../../core/errors';
import { WorkPool } from '../../core/pool';
import type { Listing } from '../../core/portal/portal';
import type { Account, Role } from '../../core/types';

export interface ListingSource {
  /** A usable access token (refreshed when due). Rejects with SsoError NotSignedIn / SessionEnded. */
  accessToken(signal: AbortSignal): Promise<string>;
  /** Every account; `onPage` (when the source streams) gets each page as it arrives. */
  listAccounts(accessToken: string, opts: { signal: AbortSignal; onPage?(accounts: Account[]): void }): Promise<Account[]>;
  listRoles(accessToken: string, accountId: string, opts: { signal: AbortSignal; priority?: boolean }): Promise<Role[]>;
  /** How many role listings run in the background at once (the limiter paces them anyway). */
  readonly prefetchConcurrency: number;
}

export type Loadable<T> =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'loaded'; value: T }
  | { status: 'failed'; error: unknown };

export type ListingEvent =
  /** The account listing ended (listed or failed). */
  | { kind: 'accounts' }
  /** A page of accounts arrived while listing; `count` is how many are known so far. */
  | { kind: 'accountsPage'; count: number }
  | { kind: 'roles'; accountId: string }
  | { kind: 'prefetch'; done: number; total: number }
  /** The prefetch run ended: every account done, or stopped (sign-in ended, disposed). */
  | { kind: 'prefetchEnded' }
  /** The session's sign-in ended while listing: the session node should offer to sign in. */
  | { kind: 'signedOut' };

// Created on first use: building an ICU collator takes ~10 ms, too much for the bundle's load.
let collatorInstance: Intl.Collator | undefined;
function collator(): Intl.Collator {
  return (collatorInstance ??= new Intl.Collator(undefined, { sensitivity: 'base', numeric: true }));
}

function compareAccounts(a: Account, b: Account): number {
  return collator().compare(a.accountName, b.accountName) || (a.accountId < b.accountId ? -1 : a.accountId > b.accountId ? 1 : 0);
}

/** By name, as people look for them; the ID breaks ties between equal names. */
export function sortAccounts(accounts: readonly Account[]): Account[] {
  return [...accounts].sort(compareAccounts);
}

/** Merges a page into accounts already sorted (the same order as sortAccounts of both). */
function mergeSortedAccounts(sorted: readonly Account[], page: readonly Account[]): Account[] {
  const add = sortAccounts(page);
  const out: Account[] = new Array<Account>(sorted.length + add.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < sorted.length && j < add.length) out[k++] = compareAccounts(sorted[i], add[j]) <= 0 ? sorted[i++] : add[j++];
  while (i < sorted.length) out[k++] = sorted[i++];
  while (j < add.length) out[k++] = add[j++];
  return out;
}

export function sortRoles(roles: readonly Role[]): Role[] {
  const c = collator();
  return [...roles].sort((a, b) => c.compare(a.roleName, b.roleName));
}

export function isSignInProblem(e: unknown): boolean {
  return isSsoError(e, 'NotSignedIn') || isSsoError(e, 'SessionEnded');
}

export class SessionListing {
  private accounts: Loadable<Account[]> = { status: 'idle' };
  private accountsPromise: Promise<Account[]> | undefined;
  /** While listing: the accounts of the pages so far, sorted; resolves `firstPage` on the first. */
  private partial: Account[] = [];
  private firstPage: Promise<void> | undefined;
  private readonly roles = new Map<string, Loadable<Role[]>>();
  private readonly rolePromises = new Map<string, Promise<Role[]>>();
  private readonly ctl = new AbortController();
  private prefetching: Promise<void> | undefined;

  constructor(
    private readonly source: ListingSource,
    private readonly emit: (e: ListingEvent) => void,
    cached?: Listing,
  ) {
    // Every call in flight listens on this one signal; thousands of accounts are expected.
    setMaxListeners(0, this.ctl.signal);
    if (cached) {
      this.accounts = { status: 'loaded', value: sortAccounts(cached.accounts) };
      for (const [id, r] of cached.roles) this.roles.set(id, { status: 'loaded', value: sortRoles(r) });
    }
  }

  get accountsState(): Loadable<Account[]> {
    return this.accounts;
  }

  rolesState(accountId: string): Loadable<Role[]> {
    return this.roles.get(accountId) ?? { status: 'idle' };
  }

  account(accountId: string): Account | undefined {
    return this.accountsSoFar().find((a) => a.accountId === accountId);
  }

  /** The accounts known now, sorted: all once listed, the pages so far while listing. */
  accountsSoFar(): readonly Account[] {
    if (this.accounts.status === 'loaded') return this.accounts.value;
    return this.accounts.status === 'loading' ? this.partial : [];
  }

  /** True while the accounts are being listed (some pages may be known already). */
  get listingAccounts(): boolean {
    return this.accounts.status === 'loading';
  }

  /** True once every account's roles are known or failed. */
  get complete(): boolean {
    return this.accounts.status === 'loaded' && this.accounts.value.every((a) => {
      const s = this.rolesState(a.accountId).status;
      return s === 'loaded' || s === 'failed';
    });
  }

  /**
   * The listing so far, in the core's shape (for the listing cache, Find and bulk profile
   * creation); while accounts are still listing, the pages so far.
   */
  snapshot(): Listing {
    const accounts = [...this.accountsSoFar()];
    const roles = new Map<string, Role[]>();
    const failed = new Map<string, SsoError>();
    for (const a of accounts) {
      const s = this.rolesState(a.accountId);
      if (s.status === 'loaded') roles.set(a.accountId, s.value);
      else if (s.status === 'failed') {
        failed.set(a.accountId, isSsoError(s.error) ? s.error : new SsoError('BadResponse', errorText(s.error), { cause: s.error }));
      }
    }
    return { accounts, roles, failed };
  }

  /**
   * The accounts, sorted by name; one listing however many callers wait. A failure sticks (the
   * tree shows it with a retry) until `resetFailure()`.
   */
  loadAccounts(): Promise<Account[]> {
    if (this.accounts.status === 'loaded') return Promise.resolve(this.accounts.value);
    if (this.accounts.status === 'failed') return Promise.reject(this.accounts.error);
    if (this.accountsPromise) return this.accountsPromise;
    this.accounts = { status: 'loading' };
    this.partial = [];
    let pageArrived!: () => void;
    const firstPage = new Promise<void>((r) => (pageArrived = r));
    this.firstPage = firstPage;
    const p = (async () => {
      try {
        const token = await this.source.accessToken(this.ctl.signal);
        const all = await this.source.listAccounts(token, {
          signal: this.ctl.signal,
          onPage: (page) => {
            if (this.accountsPromise !== p || this.ctl.signal.aborted || page.length === 0) return;
            this.partial = mergeSortedAccounts(this.partial, page);
            pageArrived();
            this.tell({ kind: 'accountsPage', count: this.partial.length });
          },
        });
        const list = sortAccounts(all);
        this.accounts = { status: 'loaded', value: list };
        return list;
      } catch (e) {
        this.accounts = { status: 'failed', error: e };
        if (isSignInProblem(e)) this.tell({ kind: 'signedOut' });
        throw e;
      } finally {
        this.accountsPromise = undefined;
        this.partial = [];
        if (this.firstPage === firstPage) this.firstPage = undefined;
        pageArrived();
        this.tell({ kind: 'accounts' });
      }
    })();
    this.accountsPromise = p;
    return p;
  }

  /**
   * The first accounts to show: all of them once listed, else (starting the listing if need be)
   * the pages so far as soon as the first one arrives, sorted. Rejects as loadAccounts does when
   * the listing fails before any page. loadAccounts() still settles when the last page is in.
   */
  loadFirstAccounts(): Promise<readonly Account[]> {
    const all = this.loadAccounts();
    if (this.accounts.status !== 'loading') return all;
    if (this.partial.length > 0) return Promise.resolve(this.partial);
    const first = this.firstPage;
    if (!first) return all;
    return Promise.race([all, first.then(() => this.accountsSoFar())]).then((accounts) =>
      // The listing failed right after a page: report the failure, not the half list.
      this.accounts.status === 'failed' ? Promise.reject(this.accounts.error) : accounts,
    );
  }

  /**
   * One account's roles, sorted; `priority` puts the call ahead of the background prefetch. A
   * failure sticks until `resetFailure(accountId)`.
   */
  loadRoles(accountId: string, priority = true): Promise<Role[]> {
    const s = this.rolesState(accountId);
    if (s.status === 'loaded') return Promise.resolve(s.value);
    if (s.status === 'failed') return Promise.reject(s.error);
    const inflight = this.rolePromises.get(accountId);
    if (inflight) return inflight;
    this.roles.set(accountId, { status: 'loading' });
    const p = (async () => {
      try {
        const token = await this.source.accessToken(this.ctl.signal);
        const roles = sortRoles(await this.source.listRoles(token, accountId, { signal: this.ctl.signal, priority }));
        this.roles.set(accountId, { status: 'loaded', value: roles });
        return roles;
      } catch (e) {
        this.roles.set(accountId, { status: 'failed', error: e });
        if (isSignInProblem(e)) this.tell({ kind: 'signedOut' });
        throw e;
      } finally {
        this.rolePromises.delete(accountId);
        this.tell({ kind: 'roles', accountId });
      }
    })();
    this.rolePromises.set(accountId, p);
    return p;
  }

  /**
   * Lists the roles of every account not yet known, a few at a time; failures stay on their
   * account (shown with a retry) and never reject. Stops when the sign-in ends. One run at a time.
   */
  prefetchRoles(): Promise<void> {
    this.prefetching ??= this.runPrefetch().finally(() => {
      this.prefetching = undefined;
      this.tell({ kind: 'prefetchEnded' });
    });
    return this.prefetching;
  }

  get prefetchRunning(): boolean {
    return this.prefetching !== undefined;
  }

  private async runPrefetch(): Promise<void> {
    const accounts = await this.loadAccounts().catch(() => undefined);
    if (!accounts) return;
    const todo = accounts.map((a) => a.accountId).filter((id) => {
      const st = this.rolesState(id).status;
      return st !== 'loaded' && st !== 'failed';
    });
    const total = todo.length;
    let done = 0;
    const pool: WorkPool<string> = new WorkPool({
      workers: this.source.prefetchConcurrency,
      signal: this.ctl.signal,
      run: async (id) => {
        try {
          await this.loadRoles(id, false);
        } catch (e) {
          if (isSignInProblem(e)) pool.stop();
        }
        done++;
        this.tell({ kind: 'prefetch', done, total });
      },
    });
    pool.push(...todo);
    pool.close();
    await pool.done;
  }

  /** Forgets a failure so the next look lists again: the accounts', one account's, or all. */
  resetFailure(accountId?: string | 'all'): void {
    if (accountId === undefined || accountId === 'all') {
      if (this.accounts.status === 'failed') this.accounts = { status: 'idle' };
    }
    if (accountId === 'all') {
      for (const [id, st] of [...this.roles]) if (st.status === 'failed') this.roles.delete(id);
    } else if (accountId !== undefined && this.rolesState(accountId).status === 'failed') {
      this.roles.delete(accountId);
    }
  }

  /** Stops every call in flight; the listing is thrown away after this and tells nothing more. */
  dispose(): void {
    this.ctl.abort();
  }

  // Calls in flight settle after dispose(); what they would tell (progress, a page) is stale and
  // must not reach the view, e.g. a "Listing roles… n of m" after sign-out.
  private tell(e: ListingEvent): void {
    if (!this.ctl.signal.aborted) this.emit(e);
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
