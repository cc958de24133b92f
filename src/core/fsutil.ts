// Atomic, private file writes: the only way the core puts bytes on disk.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
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
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (e) {
    await handle.close().catch(() => undefined);
    await rm(tmp, { force: true });
    throw e;
  }
  await handle.close();
  try {
    if (process.platform !== 'win32') await chmod(tmp, mode);
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
