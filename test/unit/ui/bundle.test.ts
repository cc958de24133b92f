// The bundle loads without initialising the AWS SDK, and activation parses nothing but the bundle:
// activation (which only reads the config file and the token cache) must not pay for the SDK, the
// command bodies or the tree. The host suite `activation.test.ts` checks the editor after activate();
// these check the load and activate() in a fresh process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { test } from 'node:test';
import { writeTokenFile } from '../../../src/core/auth/tokenCache';
import { tempHome } from '../../helpers/tempHome';

const BUNDLE = 'dist/extension.js';

test('loading dist/extension.js initialises none of the AWS SDK', { skip: !existsSync(BUNDLE) && 'run the build first' }, () => {
  const probe = `
    const Module = require('node:module');
    const load = Module._load;
    const seen = [];
    // Only the SDK's HTTP handler requires http2; a stub stands in for the editor's API.
    Module._load = function (req) {
      if (req === 'vscode') return { l10n: { t: (s) => s } };
      if (req === 'node:http2' || req === 'http2') seen.push(req);
      return load.apply(this, arguments);
    };
    const ext = require(${JSON.stringify(require.resolve('../../../' + BUNDLE))});
    process.stdout.write(JSON.stringify({ exports: Object.keys(ext).sort(), seen }));
  `;
  const r = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.deepEqual(out.exports, ['activate', 'deactivate']);
  assert.deepEqual(out.seen, [], 'the SDK was initialised while the bundle loaded');
});

// activate() in plain Node with a stand-in `vscode` (bench/plain/probe.cjs, which also times it; only
// what it loaded is checked here): the files of dist/ that the process required.
async function activateInProbe(view: boolean): Promise<{ files: string[]; settledFiles: string[]; sdk: boolean; commands: number; statusShownMs: number | null }> {
  const home = await tempHome();
  try {
    const s = { name: 'corp', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'eu-west-1', scopes: ['sso:account:access'] };
    await mkdir(dirname(home.paths.configFile), { recursive: true });
    await writeFile(
      home.paths.configFile,
      `[sso-session corp]\nsso_start_url = ${s.startUrl}\nsso_region = ${s.region}\n\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Dev\n`,
    );
    await writeTokenFile(home.paths, s, { startUrl: s.startUrl, region: s.region, accessToken: 'probe-token', expiresAt: Date.now() + 3600_000 });
    const r = spawnSync(process.execPath, ['bench/plain/probe.cjs', BUNDLE, ...(view ? ['--view'] : [])], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, ...home.env },
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: { file: string }[]; settledFiles: { file: string }[]; sdk: boolean; commands: number; statusShownMs: number | null };
    const inDist = (fs: { file: string }[]) => fs.map((f) => relative(process.cwd(), f.file)).filter((f) => f.startsWith('dist'));
    return { ...out, files: inDist(out.files), settledFiles: inDist(out.settledFiles) };
  } finally {
    await home.cleanup();
  }
}

test('activate() parses dist/extension.js alone: the SDK, the command bodies and the tree load on first use', { skip: !existsSync(BUNDLE) && 'run the build first' }, async () => {
  const contributed = (JSON.parse(readFileSync('package.json', 'utf8')) as { contributes: { commands: unknown[] } }).contributes.commands.length;
  const closed = await activateInProbe(false);
  assert.notEqual(closed.statusShownMs, null, 'the status bar was not shown during activate()');
  assert.equal(closed.commands, contributed, 'every contributed command is registered at activation');
  assert.deepEqual(closed.files, ['dist/extension.js']);
  assert.deepEqual(closed.settledFiles, ['dist/extension.js'], 'the first read after activation loaded more');
  assert.equal(closed.sdk, false);
  // The Sessions view open at start: the editor asks the tree for its top level, which loads ui.js, never the SDK.
  const open = await activateInProbe(true);
  assert.deepEqual(open.settledFiles.sort(), ['dist/extension.js', 'dist/ui.js']);
  assert.equal(open.sdk, false);
});
