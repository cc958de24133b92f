// Which processes on this machine keep credentials fresh: one empty file per process (named by its pid) in a directory of ours, so that only the last one to stop removes what they keep.
//
// Every editor window runs its own extension host, and each keeps the same credentials-file sections fresh
// (the list of them is shared). When one window closes, the sections must stay for the windows still open:
// a tool reading the file between that close and the next renewal would otherwise find no keys. A window
// that crashed leaves its file behind; a pid that no longer runs counts for nothing and its file goes.
import { mkdirSync, readdirSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process runs (signal 0 only checks; EPERM means it runs as someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Registers `pid` as a keeper. Synchronous: called once, when keeping starts. */
export function joinKeepers(dir: string, pid: number): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, String(pid)), '', { mode: 0o600 });
}

/**
 * Unregisters `pid` and answers how many other keepers still run; the files of those that do not are
 * removed. Synchronous, for deactivate(). Never throws: an unreadable directory counts as no other keeper.
 */
export function leaveKeepersSync(dir: string, pid: number, isAlive: (pid: number) => boolean = pidAlive): number {
  try {
    unlinkSync(join(dir, String(pid)));
  } catch {
    // not registered, or already gone
  }
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  let alive = 0;
  for (const name of names) {
    const other = Number(name);
    if (!/^\d+$/.test(name) || other === pid) continue;
    if (isAlive(other)) alive++;
    else {
      try {
        unlinkSync(join(dir, name));
      } catch {
        // another keeper removed it first
      }
    }
  }
  return alive;
}
