// Opening the browser from the command line on each platform: the opener, the URL as one argument
// (no shell, so cmd's & ^ % and a shell's ; $ ` mean nothing), and $BROWSER first.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { browserCommand, canOpenBrowserOn } from '../../../src/core/platform';

const url = 'https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH&x=%PATH%^&y=$(id);`id` "q" \'s\'';

test('the opener per platform: rundll32 url.dll,FileProtocolHandler on Windows, open on macOS, xdg-open on Linux', () => {
  assert.deepEqual(browserCommand(url, 'win32', {}), ['rundll32', 'url.dll,FileProtocolHandler', url]);
  assert.deepEqual(browserCommand(url, 'darwin', {}), ['open', url]);
  assert.deepEqual(browserCommand(url, 'linux', {}), ['xdg-open', url]);
});

test('$BROWSER (a command and its words) comes first on every platform; a blank one is ignored', () => {
  for (const p of ['win32', 'darwin', 'linux'] as const) {
    assert.deepEqual(browserCommand(url, p, { BROWSER: 'firefox --new-window' }), ['firefox', '--new-window', url]);
    assert.equal(browserCommand(url, p, { BROWSER: '  ' }).at(-1), url);
  }
});

test('a browser can be opened on Windows and macOS always, on Linux only with a display', () => {
  assert.equal(canOpenBrowserOn('win32', {}), true);
  assert.equal(canOpenBrowserOn('darwin', {}), true);
  assert.equal(canOpenBrowserOn('linux', {}), false);
  assert.equal(canOpenBrowserOn('linux', { WAYLAND_DISPLAY: 'wayland-0' }), true);
  assert.equal(canOpenBrowserOn('linux', { BROWSER: 'w3m' }), true);
});

test('spawned without a shell, each opener receives the URL byte for byte as one argument', { skip: process.platform === 'win32' && 'POSIX host' }, (t) => {
  const bin = mkdtempSync(join(tmpdir(), 'aws-sso-opener-'));
  t.after(() => rmSync(bin, { recursive: true, force: true }));
  const out = join(bin, 'argv.json');
  for (const name of ['rundll32', 'open', 'xdg-open']) {
    writeFileSync(join(bin, name), `#!${process.execPath}\nrequire('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.argv.slice(2)));\n`);
    chmodSync(join(bin, name), 0o755);
  }
  for (const p of ['win32', 'darwin', 'linux'] as const) {
    const [cmd, ...args] = browserCommand(url, p, {});
    // What openWithSystemBrowser does: spawn(cmd, args) with no shell option.
    const r = spawnSync(cmd, args, { env: { PATH: bin } });
    assert.equal(r.status, 0, String(r.error ?? r.stderr));
    assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')).at(-1), url, p);
    assert.equal(JSON.parse(readFileSync(out, 'utf8')).length, args.length, p);
  }
});
