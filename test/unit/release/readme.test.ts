// The README against the manifest and the package: generated tables in step, the set-up commands
// kept, every image it shows present and packaged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const readme = readFileSync('README.md', 'utf8');

function tables(...args: string[]) {
  return spawnSync(process.execPath, ['scripts/readme-tables.mjs', '--check', ...args], { encoding: 'utf8' });
}

test('the commands and settings tables match package.json (npm run readme:tables)', () => {
  const r = tables();
  assert.equal(r.status, 0, r.stderr);
});

test('a drifted table is caught', () => {
  const dir = mkdtempSync(join(tmpdir(), 'readme-'));
  try {
    const copy = join(dir, 'README.md');
    writeFileSync(copy, readme.replace('| AWS SSO: Sign In |', '| AWS SSO: Log In |'));
    const r = tables('--readme', copy);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /npm run readme:tables/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('every contributed command and setting is in the tables', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
  for (const c of pkg.contributes.commands) assert.ok(readme.includes(`\`${c.command}\``), c.command);
  for (const key of Object.keys(pkg.contributes.configuration.properties)) assert.ok(readme.includes(`\`${key}\``), key);
});

test('the set-up section keeps exactly the two commands', () => {
  assert.match(readme, /^npm ci && npm run sandbox\b/m);
  assert.match(readme, /^npm test\b/m);
});

test('every image the README shows is committed, relative (vsce links it to the repository) and not packaged', () => {
  const ignore = readFileSync('.vscodeignore', 'utf8').split('\n').map((l) => l.trim());
  const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]);
  assert.ok(images.length >= 5, `images: ${images.join(', ')}`);
  for (const src of images) {
    assert.doesNotMatch(src, /^[a-z]+:/i, `${src}: relative to the repository`);
    assert.ok(existsSync(src), `${src} is missing (the UI tests and the walkthrough run write the screenshots)`);
    assert.ok(!ignore.includes(`!${src}`), `${src} would be packaged; the .vsix must stay small`);
  }
});

test('the README keeps the sections the release needs', () => {
  for (const heading of ['## Install', '## Get started: the walkthrough', '### Commands', '### Settings', '## Remote windows', '## Proxies and custom certificate authorities', '## Security notes', '## Migrating from IAM user access keys', '## Architecture', '## Tests', '### How we test', '## The sandbox', '## Benchmark', '## Performance']) {
    assert.ok(readme.includes(`\n${heading}`), heading);
  }
  assert.match(readme, /http\.proxy/);
  assert.match(readme, /NODE_EXTRA_CA_CERTS/);
});
