// Line endings and the config writer as Windows and macOS: a new file gets the AWS CLI's ending for
// the platform (Python text mode: CRLF on Windows), an existing file keeps its own.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { ConfigFile } from '../../../src/core/config/configFile';
import { upsertSsoSession } from '../../../src/core/config/edit';
import { FileLayer } from '../../../src/core/fsutil';
import { PlatformName } from '../../../src/core/platform';

const session = { name: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'eu-west-1' };

function setup(t: { after(fn: () => void): void }, platform: PlatformName, busy = 0) {
  const dir = mkdtempSync(join(tmpdir(), 'aws-sso-eol-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  let refusals = busy;
  const sleeps: number[] = [];
  const fileLayer: FileLayer = {
    platform,
    renameSync(from, to) {
      if (to.endsWith('config') && refusals-- > 0) throw Object.assign(new Error('EBUSY: resource busy or locked'), { code: 'EBUSY' });
      renameSync(from, to);
    },
    sleepSync: (ms) => void sleeps.push(ms),
  };
  const path = join(dir, '.aws', 'config');
  return { dir, path, file: new ConfigFile(path, { fileLayer }), sleeps };
}

test('win32: a new config file is written with CRLF, as `aws configure` writes it there', async (t) => {
  const { path, file } = setup(t, 'win32');
  await file.edit((text) => upsertSsoSession(text, session));
  const bytes = readFileSync(path, 'utf8');
  assert.match(bytes, /^\[sso-session corp\]\r\n/);
  assert.doesNotMatch(bytes.replace(/\r\n/g, ''), /[\r\n]/, 'every line ends in CRLF');
});

for (const platform of ['darwin', 'linux'] as const) {
  test(`${platform}: a new config file is written with LF`, async (t) => {
    const { path, file } = setup(t, platform);
    await file.edit((text) => upsertSsoSession(text, session));
    const bytes = readFileSync(path, 'utf8');
    assert.match(bytes, /^\[sso-session corp\]\n/);
    assert.doesNotMatch(bytes, /\r/);
  });
}

test('win32: an existing LF file stays LF; on Linux an existing CRLF file stays CRLF', async (t) => {
  const win = setup(t, 'win32');
  mkdirSync(dirname(win.path), { recursive: true });
  writeFileSync(win.path, '[default]\nregion = us-east-1\n');
  await win.file.edit((text) => upsertSsoSession(text, session));
  assert.doesNotMatch(readFileSync(win.path, 'utf8'), /\r/);

  const linux = setup(t, 'linux');
  mkdirSync(dirname(linux.path), { recursive: true });
  writeFileSync(linux.path, '[default]\r\nregion = us-east-1\r\n');
  await linux.file.edit((text) => upsertSsoSession(text, session));
  assert.doesNotMatch(readFileSync(linux.path, 'utf8').replace(/\r\n/g, ''), /[\r\n]/);
});

test('win32: an empty existing file (no ending of its own) gets CRLF', async (t) => {
  const { path, file } = setup(t, 'win32');
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '');
  await file.edit((text) => upsertSsoSession(text, session));
  assert.match(readFileSync(path, 'utf8'), /^\[sso-session corp\]\r\n/);
});

test('win32: a config edit whose rename Windows refuses twice (EBUSY) lands, with its backup', async (t) => {
  const { path, file, sleeps } = setup(t, 'win32', 2);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, '[default]\r\nregion = us-east-1\r\n');
  const r = await file.edit((text) => upsertSsoSession(text, session));
  assert.equal(sleeps.length, 2);
  assert.match(readFileSync(path, 'utf8'), /^\[default\]\r\nregion = us-east-1\r\n\r\n\[sso-session corp\]\r\n/);
  assert.equal(readFileSync(r.backupPath!, 'utf8'), '[default]\r\nregion = us-east-1\r\n');
});
