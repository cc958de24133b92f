// The tree's listings, one per session: created on first look (from the listing cache when
// fresh), dropped when the session changes or signs out, and what they tell the view while they
// run (pages of accounts, roles, prefetch progress). No `vscode` import: unit-tested.
import { isSsoError } from '../../core/errors';
import type { Listing } from '../../core/portal/portal';
import { Clock, systemClock } from '../../core/ports';
import { realTimers, Timer, Timers } from '../../core/timers';
import type { Services } from '../services';
import type { UiSession } from '../sessionsModel';
import { ListingEvent, ListingSource, SessionListing } from './sessionListing';

/** How long a fetched access token is reused by one listing before the cache is read again. */
const TOKEN_REUSE_MS = 30_000;
const PROGRESS_EVERY_MS = 250;
/** While accounts arrive page by page, the session's children are redrawn at most this often. */
const ACCOUNT_PAGES_EVERY_MS = 100;

export interface PrefetchProgress {
  session: string;
  done: number;
  total: number;
}

export type AccountsEvent = { session: string } & Extract<ListingEvent, { kind: 'accounts' | 'accountsPage' }>;

/** What the listings tell the view. */
export interface ListingsView {
  /** A session's accounts should be drawn again (more pages arrived, or the whole list did). */
  redrawSession(name: string): void;
  /** An account's roles were listed or failed. */
  rolesSettled(session: string, accountId: string): void;
  /** Account listing progress: each page as it arrives, and the end. */
  accountsProgress(e: AccountsEvent): void;
  /** Background role listing of every session still running; told a few times a second at most. */
  prefetchProgress(all: PrefetchProgress[]): void;
  /** Every account and role of a session is known (or failed): what the listing shows now. */
  listedAll?(session: UiSession, listing: Listing): void;
  /** A listing found the session's sign-in ended. */
  signedOut(session: string): void;
  /** For the log: something left out of the listing (never a token). */
  warn(msg: string): void;
}

export class TreeListings {
  private readonly listings = new Map<string, SessionListing>();
  private readonly prefetch = new Map<string, PrefetchProgress>();
  private prefetchTimer: Timer | undefined;
  /** Sessions shown with only some pages of accounts: redrawn as more arrive, and at the end. */
  private readonly partlyShown = new Set<string>();
  private readonly pageTimers = new Map<string, Timer>();
  private readonly timers: Timers;
  private readonly clock: Clock;

  constructor(
    private readonly services: Pick<Services, 'auth' | 'portal' | 'listings'>,
    private readonly view: ListingsView,
    opts: { timers?: Timers; clock?: Clock } = {},
  ) {
    this.timers = opts.timers ?? realTimers();
    this.clock = opts.clock ?? systemClock;
  }

  /** The listing of a session (created on first use, from the listing cache when fresh). */
  get(session: UiSession): SessionListing {
    let l = this.listings.get(session.name);
    if (!l) {
      const cached = this.services.listings.get(session);
      l = new SessionListing(this.sourceFor(session), (e) => this.onListingEvent(session, e), cached);
      this.listings.set(session.name, l);
    }
    return l;
  }

  /** The session's listing if there is one; never creates it. */
  peek(name: string): SessionListing | undefined {
    return this.listings.get(name);
  }

  /** The tree shows some pages of this listing's accounts: more pages redraw the session. */
  shownInPart(name: string, listing: SessionListing): void {
    if (this.listings.get(name) === listing) this.partlyShown.add(name);
  }

  /** Stops and forgets a session's listing; the next look lists again. */
  drop(name: string): void {
    this.listings.get(name)?.dispose();
    this.listings.delete(name);
    this.partlyShown.delete(name);
    this.pageTimers.get(name)?.dispose();
    this.pageTimers.delete(name);
    if (this.prefetch.delete(name)) this.firePrefetch(true);
  }

  dispose(): void {
    for (const name of [...this.listings.keys()]) this.drop(name);
    this.prefetchTimer?.dispose();
    this.prefetchTimer = undefined;
    for (const h of this.pageTimers.values()) h.dispose();
    this.pageTimers.clear();
  }

  // A dropped listing is disposed first and tells nothing after that (SessionListing.tell), so
  // every event here comes from the session's current listing.
  private onListingEvent(session: UiSession, e: ListingEvent): void {
    switch (e.kind) {
      case 'accountsPage':
        this.view.accountsProgress({ session: session.name, ...e });
        if (this.partlyShown.has(session.name)) this.redrawAccountsSoon(session);
        break;
      case 'accounts': {
        this.view.accountsProgress({ session: session.name, ...e });
        this.pageTimers.get(session.name)?.dispose();
        this.pageTimers.delete(session.name);
        // The complete, sorted list (or the failure) replaces the pages shown so far.
        if (this.partlyShown.delete(session.name)) this.view.redrawSession(session.name);
        break;
      }
      case 'roles':
        this.view.rolesSettled(session.name, e.accountId);
        break;
      case 'prefetch':
        this.prefetch.set(session.name, { session: session.name, done: e.done, total: e.total });
        this.firePrefetch(false);
        break;
      case 'prefetchEnded': {
        const l = this.listings.get(session.name);
        if (l?.complete) {
          const snap = l.snapshot();
          this.services.listings.set(session, snap);
          this.view.listedAll?.(session, snap);
        }
        // Finished or stopped early (the sign-in ended): either way the message goes now.
        if (this.prefetch.delete(session.name)) this.firePrefetch(true);
        break;
      }
      case 'signedOut':
        this.view.signedOut(session.name);
        break;
    }
  }

  /** Redraws a session's accounts as pages arrive, at most every ACCOUNT_PAGES_EVERY_MS. */
  private redrawAccountsSoon(session: UiSession): void {
    if (this.pageTimers.has(session.name)) return;
    this.pageTimers.set(
      session.name,
      this.timers.timeout(() => {
        this.pageTimers.delete(session.name);
        if (this.partlyShown.has(session.name)) this.view.redrawSession(session.name);
      }, ACCOUNT_PAGES_EVERY_MS),
    );
  }

  /** Progress of thousands of accounts, told a few times a second at most. */
  private firePrefetch(now: boolean): void {
    const fire = () => {
      this.prefetchTimer = undefined;
      this.view.prefetchProgress([...this.prefetch.values()]);
    };
    if (now) {
      this.prefetchTimer?.dispose();
      fire();
    } else {
      this.prefetchTimer ??= this.timers.timeout(fire, PROGRESS_EVERY_MS);
    }
  }

  private sourceFor(session: UiSession): ListingSource {
    const services = this.services;
    const view = this.view;
    const clock = this.clock;
    let memo: { token: string; at: number } | undefined;
    return {
      async accessToken(signal) {
        const now = clock.now();
        if (memo && now - memo.at < TOKEN_REUSE_MS) return memo.token;
        const token = await services.auth.getAccessToken(session, { signal });
        memo = { token: token.accessToken, at: now };
        return token.accessToken;
      },
      listAccounts: (token, o) =>
        services.portal(session).listAccounts(token, {
          ...o,
          onSkipped: (id) => view.warn(`listing accounts of ${session.name}: skipped the account ID ${JSON.stringify(id)} (not 12 digits)`),
        }),
      listRoles: (token, accountId, o) =>
        services.portal(session).listRoles(token, accountId, o).catch((e: unknown) => {
          if (isSsoError(e, 'SessionEnded')) memo = undefined;
          throw e;
        }),
      get prefetchConcurrency() {
        return services.portal(session).rateLimiter.concurrency;
      },
    };
  }
}
