// Watches the SSO token cache folder and reports changes (terminal sign-ins and sign-outs).
//
// An `aws sso login` or `aws sso logout` in a terminal shows up in the editor at once, and nothing
// runs while nothing changes: events only, no polling. fs.watch follows the folder; while the
// folder (or a parent) does not exist yet, the nearest existing ancestor is watched for the next
// path element to appear, and the watch moves down as each one does. The folder's own watcher
// tells when it is deleted or moved away; the next look then finds it missing, or at a new inode
// (re-created), and watches again. What no event tells (a parent renamed away, a file system that
// drops events) is caught by check(), which the editor runs when its window regains focus.
//
// Only when fs.watch cannot be used at all (no inotify watches left, a file system without
// change notification) does a slow poll take over: told once through onFallback, and ended as
// soon as watching works again. Bursts of events (the CLI writes a token and a registration file)
// are debounced into one call.
//
// Why not the editor's createFileSystemWatcher: for a path that does not exist (the token cache
// before the first sign-in) VS Code suspends the watch and polls it with fs.watchFile every 5 s,
// in the extension host; and it needs `vscode`, which core code never imports.
import { FSWatcher, watch } from 'node:fs';
import { readdir, stat } from './fsp';
import { basename, dirname, join, resolve } from 'node:path';
import { realTimers, Timer, Timers } from './timers';

/** fs.watch as the watcher uses it; tests wrap it to learn when events arrive, or replace it. */
export type WatchFs = (dir: string, opts: { persistent: boolean }, listener: (event: string, filename: string | null) => void) => FSWatcher;

export const defaultWatchFs: WatchFs = (d, o, l) => watch(d, o, (e, f) => l(e, f));

/** How often the folder is looked at when fs.watch cannot be used at all. */
export const FALLBACK_POLL_MS = 30_000;

export interface WatchTokenCacheOptions {
  /** Quiet time after the last event before `onChange` runs. Default 300 ms. */
  debounceMs?: number;
  /** The fallback poll's period, only when fs.watch cannot be used. Default FALLBACK_POLL_MS. */
  fallbackPollMs?: number;
  /**
   * Keep the process alive while watching (ref'ed timers, persistent watcher). Default false:
   * a watcher must never be what keeps a CLI or a test process running.
   */
  keepAlive?: boolean;
  /** Told about an error of `onChange` or of the file system; never rethrown. */
  onError?: (e: unknown) => void;
  /** Told once, with fs.watch's error, when the watcher falls back to polling. Default onError. */
  onFallback?: (e: unknown) => void;
  /** The debounce's and the fallback poll's timers; default real ones, unref'ed unless `keepAlive`. */
  timers?: Timers;
  /** Default fs.watch. */
  watchFs?: WatchFs;
}

export interface TokenCacheWatch {
  /** Settles once the first look (the baseline, the watcher) is done. */
  ready: Promise<void>;
  /** Looks now: follows the folder again and calls `onChange` if it differs from the last look. */
  check(): Promise<void>;
  /** Stops every timer and watcher; no call happens after it. */
  dispose(): void;
}

/**
 * Calls `onChange` (debounced) whenever the files in `dir` change: added, removed, rewritten,
 * or the folder itself appearing or disappearing. Never throws, not even when `dir` or its
 * parents do not exist.
 */
export function watchTokenCache(dir: string, onChange: () => void, opts: WatchTokenCacheOptions = {}): TokenCacheWatch {
  const debounceMs = Math.max(0, opts.debounceMs ?? 300);
  const fallbackPollMs = Math.max(10, opts.fallbackPollMs ?? FALLBACK_POLL_MS);
  const keepAlive = opts.keepAlive ?? false;
  const timers = opts.timers ?? realTimers({ keepAlive });
  const watchFs = opts.watchFs ?? defaultWatchFs;
  const report = (e: unknown) => {
    try {
      opts.onError?.(e);
    } catch {
      // The error handler's own error has nowhere left to go.
    }
  };

  const target = resolve(dir);
  /** Every folder from the root down to the target. */
  const chain: string[] = [];
  for (let p = target; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }

  let disposed = false;
  let watcher: FSWatcher | undefined;
  /** What `watcher` follows: the target or an ancestor, and its inode (a re-created folder needs a new watcher). */
  let watched: { path: string; ino: number } | undefined;
  let debounce: Timer | undefined;
  let poll: Timer | undefined;
  let toldFallback = false;
  /** What the folder looked like at the last look. */
  let baseline: string | undefined;
  /** The folder's own watcher spoke since the last look: a change even if the look cannot see one. */
  let folderEvent = false;
  let queue: Promise<void> = Promise.resolve();

  const stopWatcher = () => {
    const w = watcher;
    watcher = undefined;
    watched = undefined;
    try {
      w?.close();
    } catch (e) {
      report(e);
    }
  };

  function schedule(): void {
    if (disposed) return;
    debounce?.dispose();
    debounce = timers.timeout(() => {
      debounce = undefined;
      return look();
    }, debounceMs);
  }

  const onEvent = (path: string, filename: string | null) => {
    if (disposed || watched?.path !== path) return;
    if (path === target) {
      folderEvent = true;
      schedule();
      return;
    }
    // An ancestor (a home folder can be busy): only the next element on the way to the folder,
    // or the ancestor itself going, is worth a look.
    const next = basename(chain[chain.indexOf(path) + 1]);
    if (filename === null || filename === next || filename === basename(path)) schedule();
  };

  /** The deepest folder that exists on the way to the target. */
  const deepest = async (): Promise<{ path: string; ino: number } | undefined> => {
    for (let i = chain.length - 1; i >= 0; i--) {
      try {
        const st = await stat(chain[i]);
        if (st.isDirectory()) return { path: chain[i], ino: st.ino };
      } catch {
        // Missing (or a file in the way): one level up.
      }
    }
    return undefined;
  };

  /** Puts the watcher on the deepest existing folder. False when fs.watch cannot be used. */
  const follow = async (): Promise<boolean> => {
    // Each pass either finds the watcher in place or moves it; the bound only stops a path that
    // keeps changing under us.
    for (let pass = 0; pass <= chain.length; pass++) {
      const at = await deepest();
      if (disposed) return true;
      if (!at) {
        stopWatcher();
        return true;
      }
      if (watcher && watched?.path === at.path && watched.ino === at.ino) return true;
      stopWatcher();
      try {
        const w = watchFs(at.path, { persistent: keepAlive }, (_event, filename) => onEvent(at.path, filename));
        // A platform error (the watch dropped): look again, which watches again.
        w.on('error', (e) => {
          report(e);
          if (watcher === w) {
            stopWatcher();
            schedule();
          }
        });
        watcher = w;
        watched = at;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        // Gone between the stat and the watch: look again.
        if (code === 'ENOENT' || code === 'ENOTDIR') continue;
        fallBack(e);
        return false;
      }
      // The next pass makes sure nothing below appeared between the stat and the watch.
    }
    return true;
  };

  const fallBack = (e: unknown) => {
    if (!toldFallback) {
      toldFallback = true;
      try {
        (opts.onFallback ?? report)(e);
      } catch {
        // As report().
      }
    }
    poll ??= timers.interval(() => look(), fallbackPollMs);
  };

  /** The folder's identity and each file's name, size and mtime; 'missing' when there is no folder. */
  const snapshot = async (): Promise<string> => {
    let ino: number;
    let names: string[];
    try {
      const st = await stat(target);
      if (!st.isDirectory()) return 'not-a-folder';
      ino = st.ino;
      names = await readdir(target);
    } catch {
      return 'missing';
    }
    const parts: string[] = [];
    for (const name of names.sort()) {
      // Dot files are half-written temporary files of atomic writes: the rename that follows
      // is the change that counts.
      if (name.startsWith('.')) continue;
      try {
        const s = await stat(join(target, name));
        parts.push(`${name}:${s.size}:${s.mtimeMs}`);
      } catch {
        // Gone between readdir and stat: the next look sees the result.
      }
    }
    return `${ino}|${parts.join('|')}`;
  };

  /** Watches first, then reads, so no change falls between the two; one look at a time. */
  const look = (tell = true): Promise<void> => {
    const run = queue.then(async () => {
      if (disposed) return;
      const watching = await follow();
      if (watching && poll) {
        poll.dispose();
        poll = undefined;
      }
      const snap = await snapshot();
      if (disposed) return;
      const changed = folderEvent || snap !== baseline;
      folderEvent = false;
      baseline = snap;
      if (!tell || !changed) return;
      try {
        onChange();
      } catch (e) {
        report(e);
      }
    });
    queue = run.catch(report);
    return queue;
  };

  const ready = look(false);

  return {
    ready,
    check: () => look(),
    dispose() {
      if (disposed) return;
      disposed = true;
      debounce?.dispose();
      debounce = undefined;
      poll?.dispose();
      poll = undefined;
      stopWatcher();
    },
  };
}
