// What a .vsix would hold (`vsce ls`, the list `vsce package` uses): what the installed extension
// reads, and nothing of sources, tests, maps, caches or dependencies (they are bundled).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { test } from 'node:test';

test('the package holds the bundle, manifest, strings and media only', { timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, ['node_modules/@vscode/vsce/vsce', 'ls', '--no-dependencies'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const files = r.stdout.split('\n').map((l) => l.trim()).filter(Boolean);
  for (const f of files) {
    assert.doesNotMatch(f, /^(src|test|scripts|bench|out|node_modules|\.tools|\.ci|bench-results|coverage)\//, f);
    assert.doesNotMatch(f, /\.(map|ts|vsix|log)$/, f);
  }
  for (const f of ['package.json', 'package.nls.json', 'README.md', 'CHANGELOG.md', 'LICENSE', 'media/icon.png', 'media/aws-sso.svg', 'l10n/bundle.l10n.json']) {
    assert.ok(files.includes(f), `${f} is missing`);
  }
  for (const n of [1, 2, 3, 4, 5]) assert.ok(files.some((f) => f.startsWith(`media/walkthrough/${n}-`)), `walkthrough media ${n}`);
  // dist/ exists once built (npm test builds before the unit tier).
  if (existsSync('dist/extension.js')) assert.ok(files.includes('dist/extension.js'));
  // Screenshots are linked to the repository by vsce, and the CLI ships with the npm package:
  // neither belongs in the .vsix (the size goal is 250 KB).
  assert.deepEqual(files.filter((f) => f.startsWith('media/screenshots/') || f === 'dist/cli.js'), []);
});
