// Atomic, private file writes: the only way the core puts bytes on disk.
import { randomBytes } from 'node:crypto';
import { renameSync, rmSync } from 'node:fs';
import { chmod, mkdir, rm, stat } from './fsp';
import { HOST_PLATFORM, pathFor, usesPosixModes, type PlatformName } from './platform';

/** The parts of the file layer that differ by platform; tests inject Windows' failing renames. */
export interface FileLayer {
  platform: PlatformName;
  renameSync(from: string, to: string): void;
  /** Blocks for `ms`: commitSync must not yield (see PreparedWrite). */
  sleepSync(ms: number): void;
}

export const hostFileLayer: FileLayer = {
  platform: HOST_PLATFORM,
  renameSync,
  sleepSync: (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms),
};

/**
 * Pauses between renames Windows refused because another process (the AWS CLI reading the file, an
 * antivirus scanner, the search indexer) holds the target open: 11 tries within 0.75 s. Like
 * graceful-fs (what write-file-atomic uses), with a bound short enough for a synchronous wait.
 */
export const WINDOWS_RENAME_DELAYS_MS: readonly number[] = [10, 20, 40, 80, 100, 100, 100, 100, 100, 100];
const WINDOWS_TRANSIENT = new Set(['EPERM', 'EACCES', 'EBUSY']);

/** A replacement Windows kept refusing: names the file and what to do. */
export class FileInUseError extends Error {
  constructor(
    readonly file: string,
    readonly code: string,
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot replace ${file}: ${reason}`, options);
    this.name = 'FileInUseError';
  }
}

/**
 * Renames `from` over `to`, retrying the refusals Windows gives while another process has `to`
 * open. Synchronous on purpose (see PreparedWrite.commitSync). A reader meanwhile sees the whole
 * old file: a refused rename changes nothing.
 */
export function replaceFileSync(from: string, to: string, layer: FileLayer = hostFileLayer): void {
  for (let attempt = 0; ; attempt++) {
    try {
      layer.renameSync(from, to);
      return;
    } catch (e) {
      const c = (e as NodeJS.ErrnoException).code ?? '';
      if (layer.platform !== 'win32' || !WINDOWS_TRANSIENT.has(c)) throw e;
      if (attempt >= WINDOWS_RENAME_DELAYS_MS.length) {
        const waited = WINDOWS_RENAME_DELAYS_MS.reduce((a, b) => a + b, 0);
        throw new FileInUseError(
          to,
          c,
          `Windows refused to replace it for ${waited / 1000} s (${c}): another program (the AWS CLI, an editor, an antivirus scanner) holds it open, or it is read-only. Close that program or clear the read-only attribute`,
          { cause: e },
        );
      }
      layer.sleepSync(WINDOWS_RENAME_DELAYS_MS[attempt]);
    }
  }
}

/** Creates `dir` (and parents) and makes sure `dir` itself is mode 0700 (not on Windows: see usesPosixModes). */
export async function ensurePrivateDir(dir: string, layer: FileLayer = hostFileLayer): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (usesPosixModes(layer.platform)) {
    const s = await stat(dir);
    if ((s.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
  }
}

/**
 * Writes `data` to `file` atomically: a temporary file in the same folder, fsync, then
 * rename over the target. A reader sees either the old or the new file, never a part.
 * `mode` applies to the new file (0600 for anything holding a secret).
 */
export async function writeFileAtomic(file: string, data: string | Uint8Array, mode = 0o600, layer: FileLayer = hostFileLayer): Promise<void> {
  (await prepareFileWrite(file, data, mode, layer)).commitSync();
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
export async function prepareFileWrite(file: string, data: string | Uint8Array, mode = 0o600, layer: FileLayer = hostFileLayer): Promise<PreparedWrite> {
  const tmp = tempNameFor(file, layer.platform);
  // Writing never happens at start-up: node:fs/promises (see ./fsp) loads here, once.
  const { open } = await import('node:fs/promises');
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    if (usesPosixModes(layer.platform)) await chmod(tmp, mode);
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  return {
    commitSync() {
      try {
        replaceFileSync(tmp, file, layer);
      } catch (e) {
        rmSync(tmp, { force: true });
        throw e;
      }
    },
    abort: () => rm(tmp, { force: true }),
  };
}

/** A fresh name beside `file` for its next version (same folder, so the rename stays atomic). */
export function tempNameFor(file: string, platform: PlatformName = HOST_PLATFORM): string {
  const p = pathFor(platform);
  return p.join(p.dirname(file), `.${p.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Why a file operation failed, in words that say what to do; undefined for unexpected errors. */
export function describeFsError(e: unknown): string | undefined {
  if (e instanceof FileInUseError) return e.reason;
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
