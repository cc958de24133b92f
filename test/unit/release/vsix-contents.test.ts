// What a .vsix would hold (`vsce ls`, the list `vsce package` uses): what the installed extension
// reads, and nothing of sources, tests, maps, caches or dependencies (they are bundled). Also what
// the npm package holds (`npm pack`): the command line, which runs from it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

test('the package holds the bundles, manifest, strings and media only', { timeout: 120_000 }, async () => {
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
  // dist/ exists once built (npm test builds before the unit tier): the bundle and every file it
  // loads on first use, and the command line packed for the extension to install under ~/.aws for a
  // credential_process profile when no AWS CLI v2 can serve it (esbuild.config.mjs filesOf,
  // CLI_PACK); nothing else of dist/.
  const { filesOf, CLI_PACK } = (await import(pathToFileURL(join(process.cwd(), 'esbuild.config.mjs')).href)) as { filesOf(main: string): string[]; CLI_PACK: string };
  const shipped = [...filesOf('extension.js'), CLI_PACK].map((f) => `dist/${f}`);
  if (existsSync('dist/extension.js')) assert.deepEqual(files.filter((f) => f.startsWith('dist/')).sort(), shipped.sort());
  if (existsSync(`dist/${CLI_PACK}`)) {
    // The pack holds the command line's own bundles and names the ones the extension ships: together, filesOf('cli.js').
    const pack = JSON.parse(brotliDecompressSync(readFileSync(`dist/${CLI_PACK}`)).toString('utf8')) as { files: Record<string, string>; shared: string[] };
    assert.deepEqual([...Object.keys(pack.files), ...pack.shared].sort(), filesOf('cli.js').sort());
    assert.ok(pack.shared.every((f) => filesOf('extension.js').includes(f)));
    for (const [f, text] of Object.entries(pack.files)) assert.equal(text, readFileSync(`dist/${f}`, 'utf8'), `${f} is the bundle as built`);
  }
  // Screenshots are linked to the repository by vsce (the size goal is 250 KB).
  assert.deepEqual(files.filter((f) => f.startsWith('media/screenshots/')), []);
});

test('the npm package holds the command line and what it loads, and its bin runs from the unpacked package', { timeout: 120_000, skip: !existsSync('dist/cli.js') && 'run the build first' }, async () => {
  const { filesOf } = (await import(pathToFileURL(join(process.cwd(), 'esbuild.config.mjs')).href)) as { filesOf(main: string): string[] };
  const dir = mkdtempSync(join(tmpdir(), 'aws-sso-npm-pack-'));
  try {
    // --ignore-scripts: the test packs the dist/ already built, without a production build over it.
    const r = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const [info] = JSON.parse(r.stdout) as { filename: string; files: { path: string }[] }[];
    const files = info.files.map((f) => f.path);
    for (const f of filesOf('cli.js')) assert.ok(files.includes(`dist/${f}`), `dist/${f} is missing`);
    for (const f of files) assert.doesNotMatch(f, /^(src|test|scripts|bench|media|node_modules)\/|\.(map|ts)$|^dist\/extension\.js$/, f);
    const x = spawnSync('tar', ['-xzf', join(dir, info.filename), '-C', dir], { encoding: 'utf8' });
    assert.equal(x.status, 0, x.stderr);
    // No node_modules next to it: the bundles carry their dependencies.
    const home = join(dir, 'home');
    const bin = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin['aws-sso-profiles'];
    const run = spawnSync(process.execPath, [join(dir, 'package', bin), 'status'], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: home, USERPROFILE: home, AWS_CONFIG_FILE: join(home, 'config') },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /No \[sso-session\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
