// What the Sessions store remembers between editor starts (the extension's globalState), so the
// first paint of the status bar needs neither a parse of an unchanged config file nor a read of an
// unchanged token file. Only non-secret facts: session names, start URLs, regions, scopes, expiry
// times. Every entry carries the identity (device, inode, size, modification time) of the file it
// came from and is used only while the file still has it. No `vscode` import: unit-tested.
import { statSync } from 'node:fs';
import type { NamedSession } from '../core/sessions';
import type { TokenState } from './sessionsModel';

/** Where the sessions of the config file are kept between starts (globalState in the editor). */
export interface SessionMemory {
  get<T>(key: string): T | undefined;
  update(key: string, value: unknown): Thenable<void> | Promise<void>;
}

const MEMORY_KEY = 'awsSsoProfiles.configSessions';

interface Remembered {
  file: string;
  id: string;
  sessions: NamedSession[];
}

/** Device, inode, size and modification time (to the microsecond); 'none' when the file does not exist; '' when it cannot be read. */
export function fileIdentity(file: string): string {
  try {
    const st = statSync(file);
    // mtimeMs keeps microseconds: two writes of the same size within one are not told apart, and a
    // rewrite by rename also changes the inode.
    return `${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'none' : '';
  }
}

/** The sessions parsed from this very file last time, when it has not changed since; else undefined. */
export function rememberedSessions(memory: SessionMemory | undefined, file: string, id: string): NamedSession[] | undefined {
  if (!memory || id === '') return undefined;
  const r = memory.get<Remembered>(MEMORY_KEY);
  if (!r || r.file !== file || r.id !== id || !Array.isArray(r.sessions)) return undefined;
  return r.sessions;
}

export function rememberSessions(memory: SessionMemory | undefined, file: string, id: string, sessions: NamedSession[]): void {
  if (!memory || id === '') return;
  const r = memory.get<Remembered>(MEMORY_KEY);
  if (r && r.file === file && r.id === id) return;
  // Names, start URLs, regions and scopes only: nothing secret.
  void Promise.resolve(memory.update(MEMORY_KEY, { file, id, sessions } satisfies Remembered)).catch(() => undefined);
}

const TOKENS_KEY = 'awsSsoProfiles.tokenStates';

/** What a token file said (its expiry, until when it renews: nothing secret) and the file's identity then. */
export interface RememberedToken {
  file: string;
  id: string;
  state: TokenState;
}

/** A session's token file is named by the cache folder and the session's name (or a legacy profile's start URL). */
export function tokenKey(paths: { ssoCacheDir: string }, s: { name?: string; startUrl: string }): string {
  return `${paths.ssoCacheDir}\n${s.name ?? `url:${s.startUrl}`}`;
}

export function rememberedTokens(memory: SessionMemory | undefined): Record<string, RememberedToken> {
  const r = memory?.get<Record<string, RememberedToken>>(TOKENS_KEY);
  return r && typeof r === 'object' ? r : {};
}

export function rememberTokens(memory: SessionMemory | undefined, seen: Record<string, RememberedToken>): void {
  if (!memory) return;
  if (JSON.stringify(rememberedTokens(memory)) === JSON.stringify(seen)) return;
  void Promise.resolve(memory.update(TOKENS_KEY, seen)).catch(() => undefined);
}
