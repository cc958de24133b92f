// Pinned accounts and roles, and the roles used last, per Identity Center: remembered in the
// extension's globalState (synced across machines) so the tree's Pinned and Recent groups draw
// without any listing. Only non-secret facts: start URLs, account IDs and names, role names, times.
// No `vscode` import: unit-tested.
import { startUrlKey } from '../core/sessions';
import { PINS_KEY, RECENT_KEY } from './pinKeys';
import type { SessionMemory } from './sessionMemory';

export { PINS_KEY, RECENT_KEY, SYNCED_KEYS } from './pinKeys';
/** The Recent group shows this many roles per session. */
export const RECENT_SHOWN = 5;
/** Kept across every portal, newest first: a bound on what is synced. */
const RECENT_KEPT = 50;
/** A bound on what is synced; far more than a person pins. */
const PINS_KEPT = 500;

export interface Pin {
  /** The Identity Center instance: its start URL as the sessions rule compares it (startUrlKey). */
  portal: string;
  accountId: string;
  /** As last seen, so the group draws before the accounts are listed. */
  accountName: string;
  /** Absent when the whole account is pinned. */
  roleName?: string;
}

/** What a recent role was used for. */
export type RecentUse = 'profile' | 'console' | 'credentials';

export interface RecentRole {
  portal: string;
  accountId: string;
  accountName: string;
  roleName: string;
  use: RecentUse;
  /** Epoch ms. */
  at: number;
}

/** An account of the Pinned group: pinned itself (all its roles), or holding pinned roles only. */
export interface PinnedAccount {
  accountId: string;
  accountName: string;
  /** The whole account is pinned: its roles come from the listing. */
  whole: boolean;
  /** The roles pinned one by one, sorted by name. */
  roles: string[];
}

type SessionRef = { startUrl: string };

/**
 * Pins and recents are keyed by the start URL, not the session's name: accounts and roles belong
 * to the Identity Center instance the start URL names, while a session's name is a local label
 * (renamed, or different on another machine the pins sync to).
 */
export function portalOf(session: SessionRef): string {
  return startUrlKey(session.startUrl);
}

const isString = (x: unknown): x is string => typeof x === 'string' && x !== '';

// Synced from other machines and versions: each entry is checked, a bad one left out.
function validPin(x: unknown): x is Pin {
  const p = x as Pin;
  return !!p && typeof p === 'object' && isString(p.portal) && isString(p.accountId) && typeof p.accountName === 'string' && (p.roleName === undefined || isString(p.roleName));
}

function validRecent(x: unknown): x is RecentRole {
  const r = x as RecentRole;
  return (
    !!r &&
    typeof r === 'object' &&
    isString(r.portal) &&
    isString(r.accountId) &&
    typeof r.accountName === 'string' &&
    isString(r.roleName) &&
    (r.use === 'profile' || r.use === 'console' || r.use === 'credentials') &&
    typeof r.at === 'number' &&
    Number.isFinite(r.at)
  );
}

const samePin = (a: Pin, b: { portal: string; accountId: string; roleName?: string }) =>
  a.portal === b.portal && a.accountId === b.accountId && a.roleName === b.roleName;

export class Pins {
  private readonly listeners = new Set<() => void>();
  /** The last list read and its checked entries: the tree asks about each of thousands of nodes. */
  private checked: { raw: unknown; pins: Pin[] } | undefined;

  constructor(private readonly memory: SessionMemory | undefined) {}

  /** Told after every pin, unpin and recorded use (not of changes synced from elsewhere). */
  onDidChange(listener: () => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private allPins(): Pin[] {
    const v = this.memory?.get<unknown>(PINS_KEY);
    let c = this.checked;
    if (!c || c.raw !== v || v === undefined) c = { raw: v, pins: Array.isArray(v) ? v.filter(validPin) : [] };
    this.checked = c;
    return [...c.pins];
  }

  private allRecent(): RecentRole[] {
    const v = this.memory?.get<unknown>(RECENT_KEY);
    return Array.isArray(v) ? v.filter(validRecent) : [];
  }

  /** The session's pins, in the order pinned. */
  pins(session: SessionRef): Pin[] {
    const portal = portalOf(session);
    return this.allPins().filter((p) => p.portal === portal);
  }

  /** Whether the account (no role) or the role is pinned itself. */
  isPinned(session: SessionRef, accountId: string, roleName?: string): boolean {
    const key = { portal: portalOf(session), accountId, roleName };
    return this.allPins().some((p) => samePin(p, key));
  }

  /** The Pinned group's accounts, each with its own pins; sorted by the caller (the tree's account order). */
  pinnedAccounts(session: SessionRef): PinnedAccount[] {
    const byId = new Map<string, PinnedAccount>();
    for (const p of this.pins(session)) {
      let a = byId.get(p.accountId);
      if (!a) {
        a = { accountId: p.accountId, accountName: p.accountName, whole: false, roles: [] };
        byId.set(p.accountId, a);
      }
      if (p.roleName === undefined) a.whole = true;
      else if (!a.roles.includes(p.roleName)) a.roles.push(p.roleName);
      // The newest name wins: a later pin saw the account more recently.
      if (p.accountName) a.accountName = p.accountName;
    }
    for (const a of byId.values()) a.roles.sort();
    return [...byId.values()];
  }

  /** Pins an account (no role) or a role. */
  async pin(session: SessionRef, account: { accountId: string; accountName: string }, roleName?: string): Promise<void> {
    const pin: Pin = { portal: portalOf(session), accountId: account.accountId, accountName: account.accountName };
    if (roleName !== undefined) pin.roleName = roleName;
    const all = this.allPins().filter((p) => !samePin(p, pin));
    all.push(pin);
    await this.save(PINS_KEY, all.slice(-PINS_KEPT));
  }

  async unpin(session: SessionRef, accountId: string, roleName?: string): Promise<void> {
    const key = { portal: portalOf(session), accountId, roleName };
    const all = this.allPins();
    const left = all.filter((p) => !samePin(p, key));
    if (left.length !== all.length) await this.save(PINS_KEY, left);
  }

  /** The session's last RECENT_SHOWN roles used, newest first, each role once. */
  recent(session: SessionRef): RecentRole[] {
    const portal = portalOf(session);
    return this.allRecent()
      .filter((r) => r.portal === portal)
      .sort((a, b) => b.at - a.at)
      .slice(0, RECENT_SHOWN);
  }

  /** Records that a role was used (a profile made or used, the console, credentials). */
  async used(session: SessionRef, account: { accountId: string; accountName: string }, roleName: string, use: RecentUse, at: number): Promise<void> {
    const entry: RecentRole = { portal: portalOf(session), accountId: account.accountId, accountName: account.accountName, roleName, use, at };
    const rest = this.allRecent().filter((r) => !(r.portal === entry.portal && r.accountId === entry.accountId && r.roleName === entry.roleName));
    const all = [entry, ...rest].sort((a, b) => b.at - a.at).slice(0, RECENT_KEPT);
    await this.save(RECENT_KEY, all);
  }

  private async save(key: string, value: unknown): Promise<void> {
    if (this.memory) await this.memory.update(key, value);
    for (const l of [...this.listeners]) l();
  }
}
