// Atomic, private file writes: the only way the core puts bytes on disk.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from './fsp';
import { basename, dirname, join } from 'node:path';

/** Creates `dir` (and parents) and makes sure `dir` itself is mode 0700. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') {
    const s = await stat(dir);
    if ((s.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
  }
}

/**
 * Writes `data` to `file` atomically: a temporary file in the same folder, fsync, then
 * rename over the target. A reader sees either the old or the new file, never a part.
 * `mode` applies to the new file (0600 for anything holding a secret).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600): Promise<void> {
  (await prepareFileWrite(file, data, mode)).commitSync();
}

/** A file written and synced under a temporary name, waiting to replace its target. */
export interface PreparedWrite {
  /** Renames the temporary file over the target: synchronous, so no other callback runs between a check and it. */
  commitSync(): void;
  abort(): Promise<void>;
}

/**
 * The first half of writeFileAtomic: the data is on disk under a temporary name in the target's
 * folder. Callers that must re-check the target right before replacing it do so and then call
 * `commitSync()` with no `await` in between.
 */
export async function prepareFileWrite(file: string, data: string | Uint8Array, mode = 0o600): Promise<PreparedWrite> {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Writing never happens at start-up: node:fs/promises (see ./fsp) loads here, once.
  const { open } = await import('node:fs/promises');
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    if (process.platform !== 'win32') await chmod(tmp, mode);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  return {
    commitSync() {
      try {
        renameSync(tmp, file);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    },
    abort: () => rm(tmp, { force: true }),
  };
}

/** Why a file operation failed, in words that say what to do; undefined for unexpected errors. */
export function describeFsError(e: unknown): string | undefined {
  switch ((e as NodeJS.ErrnoException | undefined)?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied. Check that you own the file and its folder and can write to them';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
    case 'EDQUOT':
      return 'the disk is full. Free some space';
    case 'ENOTDIR':
    case 'EEXIST':
      return 'a part of the path is not a folder';
    default:
      return undefined;
  }
}
