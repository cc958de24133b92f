// The operating system as a port of the core (like the clock): the file layer, paths, line endings
// and the browser launch ask it, so the unit tier runs every rule as Windows and macOS on Linux.
import { posix, win32 } from 'node:path';

export type PlatformName = 'win32' | 'darwin' | 'linux';

/** Node's platform name reduced to the three rules we know; every other Unix behaves as Linux. */
export function platformOf(p: NodeJS.Platform): PlatformName {
  return p === 'win32' || p === 'darwin' ? p : 'linux';
}

/** The machine this process runs on. */
export const HOST_PLATFORM: PlatformName = platformOf(process.platform);

/** node:path for that platform (backslashes and drive letters on Windows). */
export function pathFor(platform: PlatformName): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/**
 * Whether POSIX modes (0600 files, 0700 folders) are what keeps other users out. On Windows they
 * are not: Node maps them to the read-only attribute at most, and the ACLs of the user's profile
 * folder (where ~/.aws lives) already deny other users.
 */
export function usesPosixModes(platform: PlatformName): boolean {
  return platform !== 'win32';
}

/**
 * The line ending the AWS CLI writes into a new file: botocore opens files in Python's text mode,
 * which writes os.linesep (CRLF on Windows, LF elsewhere). An existing file keeps its own.
 */
export function newFileEol(platform: PlatformName): '\r\n' | '\n' {
  return platform === 'win32' ? '\r\n' : '\n';
}

/**
 * The command that opens `url` in the user's browser, URL as one argument and no shell:
 * $BROWSER (a command given the URL, as Python's webbrowser does), else `open` on macOS,
 * `rundll32 url.dll,FileProtocolHandler` on Windows and `xdg-open` on Linux.
 *
 * Why not `cmd /c start "" URL` on Windows (what `start` means): cmd re-parses the line, so `&`, `^`
 * and `%` in a URL's query split or expand it; the npm `open` package escapes for cmd in old
 * versions and goes through PowerShell's Start-Process in new ones, each a second parser. rundll32
 * hands the argument untouched to the shell's URL handler, which opens the default browser, as
 * `start` does. `explorer.exe URL` works too but exits 1 on success, so a failure could not be told.
 */
export function browserCommand(url: string, platform: PlatformName, env: NodeJS.ProcessEnv): [string, ...string[]] {
  if (env.BROWSER) {
    const [cmd, ...args] = env.BROWSER.split(' ').filter(Boolean);
    if (cmd) return [cmd, ...args, url];
  }
  if (platform === 'darwin') return ['open', url];
  if (platform === 'win32') return ['rundll32', 'url.dll,FileProtocolHandler', url];
  return ['xdg-open', url];
}

/** Whether a browser can be opened at all: always on a desktop OS, on Linux only with a display. */
export function canOpenBrowserOn(platform: PlatformName, env: NodeJS.ProcessEnv): boolean {
  if (env.BROWSER) return true;
  if (platform === 'darwin' || platform === 'win32') return true;
  return !!(env.DISPLAY || env.WAYLAND_DISPLAY);
}
