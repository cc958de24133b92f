// What the UI knows about sessions, profiles and sign-in state, read from the config file, the
// settings and the token cache, and kept current by watching all three.
import { readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { readTokenFileSync, tokenFilePath } from '../core/auth/tokenCache';
import { configWarnings, listProfiles, ProfileInfo, ProfilesByRole, shadowedSsoProfiles } from '../core/config/read';
import { isSsoError, SsoError } from '../core/errors';
import { Clock, systemClock } from '../core/ports';
import { NamedSession, sessionsInConfig } from '../core/sessions';
import type { SessionState } from './status/statusText';
import type { CachedToken } from '../core/types';
import { realTimers } from '../core/timers';
import { WakeUps } from '../core/wakeUps';
import { defaultWatchFs, FALLBACK_POLL_MS, watchTokenCache } from '../core/watch';
import { Services } from './services';
import { combineSessions, phaseOf, SignInPhase, TokenState, tokenState, UiSession } from './sessionsModel';
import { Settings } from './settingsModel';
import { Disposable } from './util/disposable';
import { fileIdentity, rememberedSessions, rememberedTokens, RememberedToken, rememberSessions, rememberTokens, SessionMemory, tokenKey } from './sessionMemory';

export type { SessionMemory } from './sessionMemory';
import { focusGains } from './util/focus';

export type { SignInPhase, TokenState, UiSession } from './sessionsModel';

export interface StoreChange {
  sessions: boolean;
  profiles: boolean;
  /** Sessions whose token changed in any way (refreshed, replaced, removed). */
  tokens: string[];
  /** Sessions that changed between signed in, expired and signed out. */
  phases: string[];
}

/** A config file larger than this is not read synchronously at activation (the async reload does). */
const QUICK_READ_MAX_BYTES = 128 * 1024;

export class SessionStore extends Disposable {
  private readonly _onDidChange = this._register(new vscode.EventEmitter<StoreChange>());
  readonly onDidChange = this._onDidChange.event;

  private _sessions: UiSession[] = [];
  private _profiles: ProfileInfo[] = [];
  /** Profiles by session, account and role (ours first), for thousands of roles at a time. */
  private byRole = new ProfilesByRole([]);
  private _problems: string[] = [];
  private _configError: SsoError | undefined;
  private _configWarnings: string[] = [];
  private _configText = '';
  private credentialsText = '';
  /** SSO profiles a credentials-file section with keys shadows (shadowedSsoProfiles). */
  private shadowed = new Set<string>();
  private configStamp = '';
  private readonly tokens = new Map<string, TokenState>();
  private readonly phases = new Map<string, SignInPhase>();
  private watchers: vscode.Disposable[] = [];
  private queue: Promise<void> = Promise.resolve();
  /** Set by readQuickly(): the next reload tells its listeners about everything. */
  private quick = false;

  constructor(
    private readonly services: Services,
    private readonly settings: () => Settings,
    private readonly log: vscode.LogOutputChannel,
    private readonly clock: Clock = systemClock,
    /** Where the watchers' timers come from and their wake-ups are counted. */
    private readonly wake: WakeUps = new WakeUps(realTimers()),
    /**
     * Where the config file's sessions are remembered between starts (the extension's globalState),
     * with the file's identity, so the first paint needs no parse while the file is unchanged.
     */
    private readonly memory?: SessionMemory,
  ) {
    super();
    this._register({ dispose: () => this.unwatch() });
  }

  get sessions(): readonly UiSession[] {
    return this._sessions;
  }

  get profiles(): readonly ProfileInfo[] {
    return this._profiles;
  }

  /** Why some sessions from the settings were left out or shadowed, in words. */
  get problems(): readonly string[] {
    return this._problems;
  }

  /** Set when the config file cannot be read (the sessions from settings still show). */
  get configError(): SsoError | undefined {
    return this._configError;
  }

  /** What the AWS CLI reads in a way the user may not mean (`[default]` and `[profile default]` both there), in words. */
  get configWarnings(): readonly string[] {
    return this._configWarnings;
  }

  /** The config file's text as last read ('' when it does not exist). */
  get configText(): string {
    return this._configText;
  }

  /** Whether a section of the credentials file holding keys shadows this SSO profile for the JavaScript SDK. */
  isShadowed(profileName: string): boolean {
    return this.shadowed.has(profileName);
  }

  find(name: string): UiSession | undefined {
    return this._sessions.find((s) => s.name === name);
  }

  token(name: string): TokenState | undefined {
    return this.tokens.get(name);
  }

  phase(name: string, now = this.clock.now()): SignInPhase {
    return phaseOf(this.tokens.get(name), now);
  }

  /** For the status bar: every session and its token. */
  states(): SessionState[] {
    return this._sessions.map((s) => {
      const t = this.tokens.get(s.name);
      const state: SessionState = { name: s.name, startUrl: s.startUrl, region: s.region };
      if (t?.expiresAt !== undefined) state.expiresAt = t.expiresAt;
      if (t?.refreshableUntil !== undefined) state.refreshableUntil = t.refreshableUntil;
      return state;
    });
  }

  /** The profile that points at this role through this session; ours first when several do. */
  profileFor(sessionName: string, accountId: string, roleName: string): ProfileInfo | undefined {
    return this.byRole.get(sessionName, accountId, roleName);
  }

  /** The chained profiles that start from an SSO profile of this role. */
  chainedFor(sessionName: string, accountId: string, roleName: string): readonly ProfileInfo[] {
    return this.byRole.chained(sessionName, accountId, roleName);
  }

  /**
   * A quick synchronous first look, for the status bar at activation: the sessions of the config
   * file (when small) and the settings, and their tokens. Profiles are left to reload(), which
   * must follow; its first change event then reports everything as changed. False when skipped.
   */
  readQuickly(): boolean {
    if (this._sessions.length > 0) return false;
    try {
      const file = this.services.paths.configFile;
      const id = fileIdentity(file);
      let fromConfig = rememberedSessions(this.memory, file, id);
      if (!fromConfig) {
        let text = '';
        if (id !== 'none') {
          if (statSync(file).size > QUICK_READ_MAX_BYTES) return false;
          text = readFileSync(file, 'utf8');
        }
        fromConfig = sessionsInConfig(text);
      }
      const { sessions } = combineSessions(fromConfig, this.settings().sessions);
      const now = this.clock.now();
      const tokens = new Map<string, TokenState>();
      const known = rememberedTokens(this.memory);
      for (const s of sessions) {
        // A token file unchanged since the last start needs no read and no parse (and its name no
        // hashing): its stat says so.
        const was = known[tokenKey(this.services.paths, s)];
        const fresh = was && was.id !== '' && was.id === fileIdentity(was.file);
        tokens.set(s.name, fresh ? was.state : tokenState(readTokenFileSync(this.services.paths, s)));
      }
      this._sessions = sessions;
      for (const [name, t] of tokens) {
        this.tokens.set(name, t);
        this.phases.set(name, phaseOf(t, now));
      }
      this.quick = true;
      return true;
    } catch {
      return false;
    }
  }

  /** Re-reads the config file, the settings and every token. Calls are serialised. */
  reload(): Promise<void> {
    return this.enqueue(() => this.doReload());
  }

  /** Re-reads the token cache only. */
  reloadTokens(): Promise<void> {
    return this.enqueue(async () => {
      const change = await this.readTokens();
      if (change.tokens.length > 0) this._onDidChange.fire({ sessions: false, profiles: false, ...change });
    });
  }

  /** An editor file watcher on one file (changed, created or deleted), each event counted as `source`. */
  private watchFile(file: string, source: string, onEvent: () => void): vscode.Disposable {
    const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(dirname(file)), basename(file)));
    const on = () => {
      this.wake.note(source);
      onEvent();
    };
    w.onDidChange(on);
    w.onDidCreate(on);
    w.onDidDelete(on);
    return w;
  }

  /** Starts following the token cache and the config file on disk (again, after a path change). */
  watch(): void {
    this.unwatch();
    const paths = this.services.paths;
    // Events only (core/watch.ts): nothing runs while nothing changes.
    const tokenWatch = watchTokenCache(paths.ssoCacheDir, () => void this.reloadTokens(), {
      timers: this.wake.timers('tokens'),
      watchFs: this.wake.watchFs('tokens.fs', defaultWatchFs),
      onError: (e) => this.log.debug(`watching the token cache: ${e instanceof Error ? e.message : String(e)}`),
      onFallback: (e) =>
        this.log.warn(
          `cannot watch the token cache folder (${(e as NodeJS.ErrnoException).code ?? (e instanceof Error ? e.message : String(e))}): ` +
            `looking at it every ${FALLBACK_POLL_MS / 1000} s instead, and when the window regains focus`,
        ),
    });
    this.watchers.push(tokenWatch);
    this.watchers.push(this.watchFile(paths.configFile, 'config.fs', () => void this.reload()));
    // The credentials file only decides which profiles are shadowed: a change there re-reads it alone.
    this.watchers.push(this.watchFile(paths.credentialsFile, 'credentials.fs', () => void this.reloadCredentials()));
    // File watchers miss changes on some file systems (and a token folder's parent renamed away
    // tells no watcher); coming back to the window re-checks both.
    this.watchers.push(
      vscode.window.onDidChangeWindowState(
        focusGains(vscode.window.state.focused, () => {
          this.wake.note('focus');
          void this.reloadIfConfigChanged();
          void this.reloadCredentials();
          void tokenWatch.check();
        }),
      ),
    );
  }

  private unwatch(): void {
    for (const w of this.watchers.splice(0)) w.dispose();
  }

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch((e: unknown) => this.log.error(`reading sessions failed: ${e instanceof Error ? e.message : String(e)}`));
    return run;
  }

  /** Re-reads the credentials file; tells listeners about profiles when the shadowed ones changed. */
  reloadCredentials(): Promise<void> {
    return this.enqueue(async () => {
      if (await this.readCredentials()) this._onDidChange.fire({ sessions: false, profiles: true, tokens: [], phases: [] });
    });
  }

  /** Whether the shadowed profiles changed. The file is small; a missing or unreadable one shadows nothing. */
  private async readCredentials(profilesChanged = false): Promise<boolean> {
    const text = await readFile(this.services.paths.credentialsFile, 'utf8').catch(() => '');
    if (!profilesChanged && text === this.credentialsText) return false;
    this.credentialsText = text;
    const next = new Set(shadowedSsoProfiles(text, this._profiles));
    const changed = next.size !== this.shadowed.size || [...next].some((n) => !this.shadowed.has(n));
    this.shadowed = next;
    return changed;
  }

  private async reloadIfConfigChanged(): Promise<void> {
    try {
      const c = await this.services.config.read();
      if (this.stamp(c) !== this.configStamp) await this.reload();
      else await this.reloadTokens();
    } catch {
      await this.reload();
    }
  }

  private stamp(c: { mtimeMs: number; size: number } | undefined): string {
    return c ? `${c.mtimeMs}:${c.size}` : 'none';
  }

  private async doReload(): Promise<void> {
    let text = '';
    let configError: SsoError | undefined;
    let fromConfig: ReturnType<typeof sessionsInConfig> = [];
    let profiles: ProfileInfo[] = [];
    let warnings: string[] = [];
    try {
      // The identity before the read: a change in between leaves a stale identity, never stale sessions under a new one.
      const file = this.services.paths.configFile;
      const id = fileIdentity(file);
      const c = await this.services.config.read();
      this.configStamp = this.stamp(c);
      text = c?.text ?? '';
      fromConfig = sessionsInConfig(text);
      rememberSessions(this.memory, file, id, fromConfig);
      profiles = listProfiles(text);
      // Read as the AWS CLI reads it, but maybe not as meant (a profile defined twice): the view says so.
      warnings = configWarnings(text).map((w) => `line ${w.line}: ${w.message}`);
      for (const w of warnings) if (!this._configWarnings.includes(w)) this.log.warn(`config file ${w}`);
    } catch (e) {
      configError = isSsoError(e) ? e : new SsoError('ConfigFile', e instanceof Error ? e.message : String(e), { cause: e });
      this.log.warn(`config file: ${configError.message}`);
    }
    const { sessions, problems } = combineSessions(fromConfig, this.settings().sessions);
    for (const p of problems) if (!this._problems.includes(p)) this.log.warn(`settings: ${p}`);

    // After the quick read, listeners have seen nothing yet: the first full read counts as a change.
    const afterQuick = this.quick;
    this.quick = false;
    const sessionsChanged =
      afterQuick ||
      JSON.stringify(sessions) !== JSON.stringify(this._sessions) ||
      configError?.message !== this._configError?.message ||
      warnings.join('\n') !== this._configWarnings.join('\n');
    const profilesChanged = JSON.stringify(profiles) !== JSON.stringify(this._profiles);
    this._configText = text;
    this._configError = configError;
    this._configWarnings = warnings;
    this._sessions = sessions;
    this._profiles = profiles;
    this.byRole = new ProfilesByRole(profiles);
    this._problems = problems;
    const shadowChanged = await this.readCredentials(profilesChanged);
    const change = await this.readTokens();
    if (afterQuick) for (const name of this.tokens.keys()) if (!change.tokens.includes(name)) change.tokens.push(name);
    if (sessionsChanged || profilesChanged || shadowChanged || change.tokens.length > 0) {
      this._onDidChange.fire({ sessions: sessionsChanged, profiles: profilesChanged || shadowChanged, ...change });
    }
  }

  private async readTokens(): Promise<{ tokens: string[]; phases: string[] }> {
    const now = this.clock.now();
    const tokens: string[] = [];
    const phases: string[] = [];
    const names = new Set(this._sessions.map((s) => s.name));
    for (const name of [...this.tokens.keys()]) {
      if (!names.has(name)) {
        this.tokens.delete(name);
        this.phases.delete(name);
      }
    }
    const seen: Record<string, RememberedToken> = {};
    await Promise.all(
      this._sessions.map(async (s) => {
        let t: CachedToken | undefined;
        // The identity before the read, as for the config file.
        const file = tokenFilePath(this.services.paths, s);
        const id = fileIdentity(file);
        try {
          t = await this.services.readToken(s);
        } catch (e) {
          this.log.warn(`token cache of ${s.name}: ${e instanceof Error ? e.message : String(e)}`);
        }
        const next = tokenState(t);
        seen[tokenKey(this.services.paths, s)] = { file, id, state: next };
        const prev = this.tokens.get(s.name);
        if (JSON.stringify(next) !== JSON.stringify(prev)) {
          tokens.push(s.name);
          this.tokens.set(s.name, next);
        }
        const phase = phaseOf(next, now);
        if (this.phases.get(s.name) !== phase) {
          if (this.phases.has(s.name)) phases.push(s.name);
          this.phases.set(s.name, phase);
        }
      }),
    );
    rememberTokens(this.memory, seen);
    return { tokens, phases };
  }
}
