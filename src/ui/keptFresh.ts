// Keep Credentials Fresh in the Credentials File: for each opted-in role, a `[NAME]` section of
// ours with short-term keys, renewed a while before they expire (one timer per profile), removed on
// sign-out, on turning it off and when the last editor window closes; written again at the next start.
import { plural } from '../core/plural';
import { readFile } from 'node:fs/promises';
import type * as vscode from 'vscode';
import { keptFreshSections, removeKeptFreshSections, removeKeptFreshSectionsSync, writeKeptFreshSection } from '../core/credentials';
import { isSsoError, SsoError } from '../core/errors';
import { joinKeepers, leaveKeepersSync } from '../core/keepers';
import { join } from 'node:path';
import { Clock, systemClock } from '../core/ports';
import type { Timer, Timers } from '../core/timers';
import { realTimers } from '../core/timers';
import type { App } from './app';
import { KEPT_FRESH_STATE_KEY, keptFreshWiring } from './keptFreshState';

export interface KeptFreshEntry {
  name: string;
  session: string;
  accountId: string;
  roleName: string;
  region?: string;
}

export interface KeptFreshStatus extends KeptFreshEntry {
  /** Epoch ms at which the keys in the file expire; undefined while none are written. */
  expiresAt?: number;
  /** Not written: the session is signed out (written again after sign-in). */
  waiting: boolean;
}

/** Renewed this long before the keys expire (role credentials last an hour or more). */
export const RENEW_MARGIN_MS = 10 * 60_000;
/** After a failure that is not a sign-out (network, throttling): tried again this much later. */
export const RETRY_MS = 60_000;

function isEntry(v: unknown): v is KeptFreshEntry {
  const e = v as KeptFreshEntry;
  return !!e && typeof e.name === 'string' && typeof e.session === 'string' && typeof e.accountId === 'string' && typeof e.roleName === 'string';
}

/** Where this window registers as a keeper (core/keepers), so that closing it leaves the sections to the other windows. */
export interface KeeperOptions {
  dir: string;
  pid: number;
  isAlive?: (pid: number) => boolean;
}

export class KeptFresh implements vscode.Disposable {
  private readonly timers: Timers;
  private readonly keepers: KeeperOptions | undefined;
  private joined = false;
  private readonly pending = new Map<string, Timer>();
  private readonly expiry = new Map<string, number>();
  private readonly waiting = new Set<string>();
  private readonly subs: vscode.Disposable[] = [];
  private started: Promise<void> | undefined;

  constructor(
    private readonly app: App,
    timers?: Timers,
    private readonly clock: Clock = systemClock,
    keepers?: KeeperOptions,
  ) {
    this.timers = timers ?? keptFreshWiring.timers ?? realTimers({ keepAlive: false });
    const storage = app.context.globalStorageUri?.fsPath;
    this.keepers = keepers ?? (storage ? { dir: join(storage, 'kept-fresh-windows'), pid: process.pid } : undefined);
    keptFreshWiring.removeAllSync = () => this.removeAllSync();
    // A session signed in again: write what waited for it.
    this.subs.push(
      app.store.onDidChange(() => {
        for (const e of this.entries()) if (this.waiting.has(e.name) && this.signedIn(e.session)) void this.renew(e);
      }),
    );
  }

  private get file(): string {
    return this.app.services.paths.credentialsFile;
  }

  entries(): KeptFreshEntry[] {
    const v = this.app.state.get<unknown[]>(KEPT_FRESH_STATE_KEY) ?? [];
    return Array.isArray(v) ? v.filter(isEntry) : [];
  }

  status(): KeptFreshStatus[] {
    return this.entries().map((e) => ({ ...e, expiresAt: this.expiry.get(e.name), waiting: this.waiting.has(e.name) }));
  }

  private signedIn(session: string): boolean {
    return this.app.store.phase(session) === 'signedIn';
  }

  /**
   * At start: sections of ours that no entry names (left by a crash, or by an editor that closed
   * while turning one off) go; every entry is written afresh.
   */
  start(): Promise<void> {
    this.started ??= (async () => {
      if (this.entries().length > 0) this.join();
      const names = new Set(this.entries().map((e) => e.name));
      const text = await readFile(this.file, 'utf8').catch(() => '');
      const stale = keptFreshSections(text).filter((n) => !names.has(n));
      if (stale.length > 0) {
        await removeKeptFreshSections(this.file, stale);
        this.app.log.info(`kept-fresh: removed ${plural(stale.length, '1 stale section', `${stale.length} stale sections`)} from ${this.file}`);
      }
      await Promise.all(this.entries().map((e) => this.renew(e)));
    })();
    return this.started;
  }

  /** Writes the keys now and keeps them fresh from now on; throws (nothing remembered) when the first write fails. */
  async add(entry: KeptFreshEntry): Promise<KeptFreshStatus> {
    await this.write(entry);
    this.join();
    const others = this.entries().filter((e) => e.name !== entry.name);
    await this.app.state.update(KEPT_FRESH_STATE_KEY, [...others, entry]);
    return { ...entry, expiresAt: this.expiry.get(entry.name), waiting: false };
  }

  /** Stops keeping `name` fresh and removes its section. */
  async remove(name: string): Promise<void> {
    this.forget(name);
    await this.app.state.update(KEPT_FRESH_STATE_KEY, this.entries().filter((e) => e.name !== name));
    await removeKeptFreshSections(this.file, [name]);
  }

  /** Sign-out of `session`: its sections go now and are written again after the next sign-in. */
  async signedOut(session: string): Promise<void> {
    const names = this.entries().filter((e) => e.session === session).map((e) => e.name);
    if (names.length === 0) return;
    for (const n of names) {
      this.forget(n);
      this.waiting.add(n);
    }
    await removeKeptFreshSections(this.file, names);
  }

  /** deactivate(): every section we keep goes, synchronously, unless another window keeps them fresh too. */
  removeAllSync(): void {
    for (const n of [...this.pending.keys()]) this.forget(n);
    if (this.joined && this.keepers) {
      this.joined = false;
      const others = leaveKeepersSync(this.keepers.dir, this.keepers.pid, this.keepers.isAlive);
      if (others > 0) {
        this.app.log.info(`kept-fresh: ${plural(others, 'another window keeps', `${others} other windows keep`)} the sections in ${this.file} fresh; left in place`);
        return;
      }
    }
    const removed = removeKeptFreshSectionsSync(this.file, this.entries().map((e) => e.name));
    if (removed.length > 0) this.app.log.info(`kept-fresh: removed ${plural(removed.length, '1 section', `${removed.length} sections`)} from ${this.file} on shutdown`);
  }

  dispose(): void {
    for (const n of [...this.pending.keys()]) this.forget(n);
    for (const s of this.subs) s.dispose();
    if (keptFreshWiring.removeAllSync) keptFreshWiring.removeAllSync = undefined;
  }

  /** Registers this window as one that keeps sections fresh (once; a failure only costs the multi-window courtesy). */
  private join(): void {
    if (this.joined || !this.keepers) return;
    try {
      joinKeepers(this.keepers.dir, this.keepers.pid);
      this.joined = true;
    } catch (e) {
      this.app.log.warn(`kept-fresh: could not register this window in ${this.keepers.dir} (${(e as NodeJS.ErrnoException).code ?? 'error'}); closing it removes the sections for every window`);
    }
  }

  private forget(name: string): void {
    this.pending.get(name)?.dispose();
    this.pending.delete(name);
    this.expiry.delete(name);
    this.waiting.delete(name);
  }

  /** Fetches and writes the keys, and schedules the next renewal. Throws what went wrong. */
  private async write(e: KeptFreshEntry): Promise<void> {
    const session = this.app.store.sessions.find((s) => s.name === e.session);
    if (!session) throw new SsoError('InvalidInput', `The session "${e.session}" is no longer configured.`);
    const token = await this.app.services.auth.getAccessToken(session);
    const creds = await this.app.services.portal(session).getRoleCredentials(token.accessToken, e.accountId, e.roleName);
    // The entry may have been turned off while the keys were on their way.
    await writeKeptFreshSection(this.file, e.name, creds, e.region ? { region: e.region } : {});
    this.forget(e.name);
    this.expiry.set(e.name, creds.expiration);
    const at = Math.max(creds.expiration - RENEW_MARGIN_MS - this.clock.now(), 30_000);
    this.pending.set(e.name, this.timers.timeout(() => this.renewByName(e.name), at));
    this.app.log.info(`kept-fresh: [${e.name}] in ${this.file} valid until ${new Date(creds.expiration).toISOString()}`);
  }

  private renewByName(name: string): Promise<void> {
    const e = this.entries().find((x) => x.name === name);
    return e ? this.renew(e) : Promise.resolve();
  }

  /** write(), with a sign-out removing the section (written again after sign-in) and other failures retried once a minute. */
  private async renew(e: KeptFreshEntry): Promise<void> {
    try {
      await this.write(e);
    } catch (err) {
      if (isSsoError(err, 'NotSignedIn') || isSsoError(err, 'SessionEnded')) {
        this.forget(e.name);
        this.waiting.add(e.name);
        await removeKeptFreshSections(this.file, [e.name]).catch(() => undefined);
        this.app.log.info(`kept-fresh: [${e.name}] removed until "${e.session}" is signed in again`);
        return;
      }
      this.app.log.warn(`kept-fresh: [${e.name}] could not be renewed (${isSsoError(err) ? err.code : 'error'}); trying again in a minute`);
      this.pending.get(e.name)?.dispose();
      this.pending.set(e.name, this.timers.timeout(() => this.renewByName(e.name), RETRY_MS));
    }
  }
}

let instance: KeptFresh | undefined;

/** The window's one manager (created on first use, disposed with the extension). */
export function keptFreshFor(app: App): KeptFresh {
  if (!instance) {
    const m = new KeptFresh(app);
    instance = m;
    app.context.subscriptions.push({ dispose: () => (m.dispose(), instance === m && (instance = undefined)) });
  }
  return instance;
}
