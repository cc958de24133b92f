// The only code that reads and writes the AWS config file on disk: atomic, backed up, and
// re-checked against concurrent writers (the AWS CLI, an editor) right before writing.
import { BigIntStats, statSync } from 'node:fs';
import { lstat, readFile, readlink, stat } from '../fsp';
import { dirname, resolve } from 'node:path';
import { isSsoError, SsoError } from '../errors';
import { describeFsError, ensurePrivateDir, FileLayer, hostFileLayer, prepareFileWrite, PreparedWrite, writeFileAtomic } from '../fsutil';
import { newFileEol, type PlatformName } from '../platform';

export interface ConfigFileContent {
  text: string;
  mtimeMs: number;
  size: number;
}

export interface EditResult {
  changed: boolean;
  /** Where the previous version was kept, when there was one. */
  backupPath?: string;
}

export interface ConfigFileOptions {
  /** How many times `fn` is re-run when the file changes under us. Default 5. */
  maxAttempts?: number;
  /** Test seam: runs after `fn`, right before the re-check that precedes the write. */
  beforeCommit?: () => Promise<void>;
  /**
   * Where the previous version is kept (mode 0600, replaced by each edit). Default `<path>.bak`.
   * One backup per edit, so a caller with its own naming passes it here rather than copying.
   */
  backupPath?: string;
  /** The platform's file layer (renames, line endings of a new file); tests inject Windows'. */
  fileLayer?: FileLayer;
}

interface Snapshot {
  bytes: Buffer;
  text: string;
  mtimeMs: number;
  size: number;
  mode: number;
  /** Inode, size and nanosecond mtime: what the last check before the rename compares. */
  identity: string;
}

const MAX_LINKS = 32;

function code(e: unknown): string | undefined {
  return (e as NodeJS.ErrnoException | undefined)?.code;
}

export class ConfigFile {
  /** Written next to the configured path (by default), so a symlinked config's target folder gets no extra file. */
  readonly backupPath: string;
  private readonly maxAttempts: number;
  private readonly beforeCommit?: () => Promise<void>;
  private readonly fileLayer: FileLayer;

  constructor(
    readonly path: string,
    opts: ConfigFileOptions = {},
  ) {
    this.backupPath = opts.backupPath ?? `${path}.bak`;
    this.maxAttempts = Math.max(1, opts.maxAttempts ?? 5);
    this.beforeCommit = opts.beforeCommit;
    this.fileLayer = opts.fileLayer ?? hostFileLayer;
  }

  /** The file's text, or undefined when it does not exist. */
  async read(): Promise<ConfigFileContent | undefined> {
    const snap = await this.snapshot(await this.target());
    return snap && { text: snap.text, mtimeMs: snap.mtimeMs, size: snap.size };
  }

  /**
   * Applies `fn` to the file's text ('' for a missing file) and writes the result atomically,
   * keeping the previous version as `backupPath`. When the file changed on disk while `fn`
   * ran, `fn` runs again on the fresh text, so it must be a pure function of its input.
   * Errors from `fn` propagate (ConfigFile ones prefixed with the path); nothing is written.
   */
  async edit(fn: (text: string) => string): Promise<EditResult> {
    for (let attempt = 0; attempt < this.maxAttempts; attempt++) {
      const target = await this.target();
      const before = await this.snapshot(target);
      let next: string;
      try {
        next = withPlatformEol(before?.text ?? '', fn(before?.text ?? ''), this.fileLayer.platform);
      } catch (e) {
        if (isSsoError(e, 'ConfigFile')) throw new SsoError('ConfigFile', `${this.path}: ${e.message}`, { cause: e });
        throw e;
      }
      if (before && next === before.text) return { changed: false };
      if (!before && next === '') return { changed: false };
      await this.beforeCommit?.();
      const now = await this.snapshot(target);
      if (!sameSnapshot(before, now)) continue;
      if (!(await this.write(target, before, next))) continue;
      return before ? { changed: true, backupPath: this.backupPath } : { changed: true };
    }
    throw new SsoError(
      'ConfigFile',
      `${this.path} kept changing while it was being updated (another program is writing it). Try again in a moment.`,
    );
  }

  /** The real file: symlinks are followed (even dangling ones) so we write the target and keep the link. */
  private async target(): Promise<string> {
    let p = resolve(this.path);
    for (let hops = 0; hops < MAX_LINKS; hops++) {
      let st;
      try {
        st = await lstat(p);
      } catch (e) {
        if (code(e) === 'ENOENT') return p;
        throw this.fail('read', e);
      }
      if (!st.isSymbolicLink()) return p;
      try {
        p = resolve(dirname(p), await readlink(p));
      } catch (e) {
        throw this.fail('read', e);
      }
    }
    throw new SsoError('ConfigFile', `${this.path} is a symbolic link that loops. Point it at a real file.`);
  }

  private async snapshot(target: string): Promise<Snapshot | undefined> {
    let bytes: Buffer;
    let st;
    try {
      st = await stat(target, { bigint: true });
      if (!st.isFile()) {
        throw new SsoError('ConfigFile', `${this.path} is not a regular file. Move it away or point AWS_CONFIG_FILE at a file.`);
      }
      bytes = await readFile(target);
    } catch (e) {
      if (code(e) === 'ENOENT') return undefined;
      if (isSsoError(e)) throw e;
      throw this.fail('read', e);
    }
    let text: string;
    try {
      // Decoded strictly and with any BOM kept, so writing the text back restores every byte.
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    } catch {
      throw new SsoError(
        'ConfigFile',
        `${this.path} is not valid UTF-8 text, so it cannot be edited without damaging it. Save it as UTF-8 and try again.`,
      );
    }
    return { bytes, text, mtimeMs: Number(st.mtimeMs), size: Number(st.size), mode: Number(st.mode) & 0o7777, identity: identity(st) };
  }

  /**
   * Writes the backup and the new text; false when the file changed meanwhile (nothing replaced).
   * The last check and the rename are synchronous, so another writer that renamed its own version
   * in while our bytes were being synced is noticed instead of overwritten.
   */
  private async write(target: string, before: Snapshot | undefined, text: string): Promise<boolean> {
    let prepared: PreparedWrite | undefined;
    try {
      const dir = dirname(target);
      try {
        await stat(dir);
      } catch (e) {
        if (code(e) !== 'ENOENT') throw e;
        await ensurePrivateDir(dir, this.fileLayer);
      }
      if (before) {
        // Backup first: if it cannot be written, neither is the config.
        await writeFileAtomic(this.backupPath, before.bytes, 0o600, this.fileLayer);
      }
      prepared = await prepareFileWrite(target, text, before ? before.mode & 0o777 : 0o600, this.fileLayer);
      if (!unchangedSync(target, before)) {
        await prepared.abort();
        return false;
      }
      prepared.commitSync();
      return true;
    } catch (e) {
      await prepared?.abort().catch(() => undefined);
      throw this.fail('write', e);
    }
  }

  private fail(op: 'read' | 'write', e: unknown): SsoError {
    if (isSsoError(e)) return e;
    const c = code(e);
    const why =
      c === 'EROFS'
        ? 'the file system is read-only. Point AWS_CONFIG_FILE at a writable location'
        : c === 'ENOTDIR'
          ? 'a part of the path is not a folder. Check AWS_CONFIG_FILE'
          : (describeFsError(e) ?? `${(e as Error)?.message ?? String(e)}`);
    return new SsoError('ConfigFile', `Cannot ${op} ${this.path}: ${why}, then try again. The file was not changed.`, {
      cause: e,
    });
  }
}

/**
 * A text with no line ending yet (a new or empty file) gets the one the AWS CLI writes on this
 * platform; the edit planner wrote '\n' for want of a file's own. Any other text keeps its own.
 */
export function withPlatformEol(before: string, next: string, platform: PlatformName): string {
  const eol = newFileEol(platform);
  return eol === '\n' || /[\r\n]/.test(before) ? next : next.replace(/\r?\n/g, eol);
}

/** The target still holds exactly `before`'s bytes (or still does not exist). */
function unchangedSync(target: string, before: Snapshot | undefined): boolean {
  try {
    // A stat, not a read: the window between this check and the rename must stay as short as
    // possible. The identity was taken before the bytes were read, so a change in between
    // shows here as a difference and the edit is redone.
    const now = statSync(target, { bigint: true });
    return !!before && identity(now) === before.identity;
  } catch (e) {
    if (code(e) === 'ENOENT') return !before;
    throw e;
  }
}

function identity(st: BigIntStats): string {
  return `${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
}

function sameSnapshot(a: Snapshot | undefined, b: Snapshot | undefined): boolean {
  if (!a || !b) return a === b;
  // Content, not only mtime: two writes within the clock's resolution look alike otherwise.
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.bytes.equals(b.bytes);
}
