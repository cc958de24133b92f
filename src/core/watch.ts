// Watches the SSO token cache folder and reports changes (terminal sign-ins and sign-outs).
//
// An `aws sso login` or `aws sso logout` in a terminal shows up in the editor within seconds.
//
// Two mechanisms, because neither is enough alone: `fs.watch` on the folder reacts at once but
// is unreliable on network and container file systems and cannot watch a folder that does not
// exist yet; a periodic stat of the folder's files is slow but always works, notices the folder
// being created (or deleted and re-created), and (re)starts `fs.watch` when it can. Bursts of
// events (the CLI writes a token and a registration file) are debounced into one call.
import { FSWatcher, watch } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { realTimers, Timer, Timers } from './timers';

/** fs.watch as the watcher uses it; tests wrap it to learn when events arrive. */
export type WatchFs = (dir: string, opts: { persistent: boolean }, listener: (event: string, filename: string | null) => void) => FSWatcher;

export interface WatchTokenCacheOptions {
  /** How often the folder is stat'ed. Default 5000 ms. */
  pollMs?: number;
  /** Quiet time after the last event before `onChange` runs. Default 300 ms. */
  debounceMs?: number;
  /** Use `fs.watch` as well as polling. Default true (tests turn it off to exercise the poll). */
  useFsWatch?: boolean;
  /**
   * Keep the process alive while watching (ref'ed timers, persistent watcher). Default false:
   * a watcher must never be what keeps a CLI or a test process running.
   */
  keepAlive?: boolean;
  /** Told about an error of `onChange` or of the file system; never rethrown. */
  onError?: (e: unknown) => void;
  /** The poll's and the debounce's timers; default real ones, unref'ed unless `keepAlive`. */
  timers?: Timers;
  /** Default fs.watch. */
  watchFs?: WatchFs;
}

/**
 * Calls `onChange` (debounced) whenever the files in `dir` change: added, removed, rewritten,
 * or the folder itself appearing or disappearing. Never throws, not even when `dir` or its
 * parents do not exist. `ready` settles once the first look (the baseline, fs.watch) is done.
 * `dispose()` stops every timer and watcher; no call happens after it.
 */
export function watchTokenCache(dir: string, onChange: () => void, opts: WatchTokenCacheOptions = {}): { ready: Promise<void>; dispose(): void } {
  const pollMs = Math.max(10, opts.pollMs ?? 5000);
  const debounceMs = Math.max(0, opts.debounceMs ?? 300);
  const useFsWatch = opts.useFsWatch ?? true;
  const keepAlive = opts.keepAlive ?? false;
  const timers = opts.timers ?? realTimers({ keepAlive });
  const watchFs: WatchFs = opts.watchFs ?? ((d, o, l) => watch(d, o, (e, f) => l(e, f)));
  const report = (e: unknown) => {
    try {
      opts.onError?.(e);
    } catch {
      // The error handler's own error has nowhere left to go.
    }
  };

  let disposed = false;
  let watcher: FSWatcher | undefined;
  /** The inode of the folder `watcher` follows: a re-created folder needs a new watcher. */
  let watchedIno: number | undefined;
  let debounce: Timer | undefined;
  /** What the folder looked like when `onChange` last ran (or at start). */
  let baseline: string | undefined;
  let polling = false;

  const stopWatcher = () => {
    if (!watcher) return;
    try {
      watcher.close();
    } catch (e) {
      report(e);
    }
    watcher = undefined;
    watchedIno = undefined;
  };

  const startWatcher = (ino: number) => {
    if (!useFsWatch || disposed) return;
    stopWatcher();
    try {
      const w = watchFs(dir, { persistent: keepAlive }, () => schedule());
      // A watched folder that is deleted, or a platform error: drop the watcher; the poll
      // keeps going and starts a new one when the folder is back.
      w.on('error', (e) => {
        report(e);
        if (watcher === w) stopWatcher();
      });
      watcher = w;
      watchedIno = ino;
    } catch (e) {
      // ENOENT between the stat and here, or no watch support: the poll covers it.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') report(e);
    }
  };

  /** The folder's identity and each file's name, size and mtime; 'missing' when there is no folder. */
  const snapshot = async (): Promise<{ sig: string; ino?: number }> => {
    let ino: number;
    let names: string[];
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) return { sig: 'not-a-folder' };
      ino = st.ino;
      names = await readdir(dir);
    } catch {
      return { sig: 'missing' };
    }
    const parts: string[] = [];
    for (const name of names.sort()) {
      // Dot files are half-written temporary files of atomic writes: the rename that follows
      // is the change that counts.
      if (name.startsWith('.')) continue;
      try {
        const s = await stat(join(dir, name));
        parts.push(`${name}:${s.size}:${s.mtimeMs}`);
      } catch {
        // Gone between readdir and stat: the next look sees the result.
      }
    }
    return { sig: `${ino}|${parts.join('|')}`, ino };
  };

  const syncWatcher = (ino: number | undefined) => {
    if (ino === undefined) stopWatcher();
    else if (!watcher || watchedIno !== ino) startWatcher(ino);
  };

  const fire = async () => {
    debounce = undefined;
    // The new state becomes the baseline first, so the poll does not report it a second time.
    const snap = await snapshot();
    if (disposed) return;
    baseline = snap.sig;
    syncWatcher(snap.ino);
    try {
      onChange();
    } catch (e) {
      report(e);
    }
  };

  function schedule(): void {
    if (disposed) return;
    debounce?.dispose();
    debounce = timers.timeout(() => fire().catch(report), debounceMs);
  }

  const poll = async () => {
    if (polling || disposed) return;
    polling = true;
    try {
      const snap = await snapshot();
      if (disposed) return;
      syncWatcher(snap.ino);
      if (baseline === undefined) baseline = snap.sig;
      else if (snap.sig !== baseline) schedule();
    } catch (e) {
      report(e);
    } finally {
      polling = false;
    }
  };

  const interval = timers.interval(() => poll(), pollMs);
  const ready = poll();

  return {
    ready,
    dispose() {
      if (disposed) return;
      disposed = true;
      interval.dispose();
      debounce?.dispose();
      debounce = undefined;
      stopWatcher();
    },
  };
}
