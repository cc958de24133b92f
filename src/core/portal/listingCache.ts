// Keeps each SSO session's last account and role listing in memory for a while, so views do not re-list thousands of accounts.
import { Clock, systemClock } from '../ports';
import { sameStartUrl, startUrlKey } from '../sessions';
import { SsoSession } from '../types';
import type { Listing } from './portal';

export interface CachedListing extends Listing {
  /** Clock time the listing finished. */
  fetchedAt: number;
}

export interface ListingCacheOptions {
  /** How long a complete listing is served, ms. Default 10 minutes. */
  ttlMs?: number;
  /** How long a listing with failed accounts is served, ms, so that those get retried soon. Default 1 minute. */
  partialTtlMs?: number;
  clock?: Clock;
}

type SessionKey = Pick<SsoSession, 'name' | 'startUrl'>;

interface LoadSlot {
  startUrl: string;
  promise: Promise<CachedListing>;
}

interface Entry {
  startUrl: string;
  listing: CachedListing;
  expiresAt: number;
}

export class ListingCache {
  private readonly clock: Clock;
  private readonly ttlMs: number;
  private readonly partialTtlMs: number;
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, LoadSlot>();
  /** Per key, bumped by every invalidation, so that a load started before it does not store a stale listing. */
  private readonly gens = new Map<string, number>();

  constructor(opts: ListingCacheOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    this.ttlMs = opts.ttlMs ?? 10 * 60_000;
    this.partialTtlMs = Math.min(opts.partialTtlMs ?? 60_000, this.ttlMs);
  }

  /** `sso-session NAME` when the session has a name, else its start URL (legacy profiles). */
  static key(session: SessionKey): string {
    return session.name ? `session:${session.name}` : `url:${startUrlKey(session.startUrl)}`;
  }

  /** The listing while it is fresh, else undefined. */
  get(session: SessionKey): CachedListing | undefined {
    const key = ListingCache.key(session);
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (this.clock.now() >= e.expiresAt) {
      this.entries.delete(key);
      return undefined;
    }
    return e.listing;
  }

  set(session: SessionKey, listing: Listing): CachedListing {
    const now = this.clock.now();
    const cached: CachedListing = { ...listing, fetchedAt: now };
    const ttl = listing.failed.size > 0 ? this.partialTtlMs : this.ttlMs;
    this.entries.set(ListingCache.key(session), { startUrl: session.startUrl, listing: cached, expiresAt: now + ttl });
    return cached;
  }

  /**
   * The fresh listing, or the result of `load` (stored for next time). Concurrent callers for one session
   * share one load. `refresh` skips the cached listing.
   */
  async getOrLoad(session: SessionKey, load: () => Promise<Listing>, opts: { refresh?: boolean } = {}): Promise<CachedListing> {
    const key = ListingCache.key(session);
    if (opts.refresh) this.invalidate(session);
    else {
      const hit = this.get(session);
      if (hit) return hit;
    }
    const inflight = this.loading.get(key);
    if (inflight) return inflight.promise;
    const gen = this.gen(key);
    const promise = Promise.resolve()
      .then(load)
      // Signed out or refreshed meanwhile: hand the result to this caller but do not keep it.
      .then((listing) => (gen === this.gen(key) ? this.set(session, listing) : { ...listing, fetchedAt: this.clock.now() }))
      .finally(() => {
        if (this.loading.get(key) === slot) this.loading.delete(key);
      });
    const slot: LoadSlot = { startUrl: session.startUrl, promise };
    this.loading.set(key, slot);
    return promise;
  }

  /** Drops the session's listing, as a refresh does. */
  invalidate(session: SessionKey): void {
    this.drop(ListingCache.key(session));
  }

  /**
   * Drops every listing obtained through the session's start URL: signing out revokes the token, and a
   * legacy profile on the same portal shares it.
   */
  signedOut(session: SessionKey): void {
    this.invalidate(session);
    for (const [k, e] of [...this.entries]) if (sameStartUrl(e.startUrl, session.startUrl)) this.drop(k);
    for (const [k, l] of [...this.loading]) if (sameStartUrl(l.startUrl, session.startUrl)) this.drop(k);
  }

  clear(): void {
    for (const k of new Set([...this.entries.keys(), ...this.loading.keys()])) this.drop(k);
  }

  private gen(key: string): number {
    return this.gens.get(key) ?? 0;
  }

  private drop(key: string): void {
    this.gens.set(key, this.gen(key) + 1);
    this.entries.delete(key);
    this.loading.delete(key);
  }
}
