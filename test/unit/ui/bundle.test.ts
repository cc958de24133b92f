// The bundle loads without initialising the AWS SDK: activation (which only reads the token
// cache) must not pay for it. The host suite `activation.test.ts` checks what happens after
// activate(); this checks the module load before it, in a fresh process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

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
