// `npm run bench -- --smoke` runs end to end: tiny sizes, no reference strategies, no editor. It proves
// the benchmark script works (CI); the figures themselves are not judged here.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const REPO = join(__dirname, '..', '..', '..');

test('bench --smoke runs every part it covers and writes its summary', { timeout: 120_000 }, () => {
  const out = mkdtempSync(join(tmpdir(), 'aws-sso-bench-smoke-'));
  try {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: 110_000,
    });
    assert.equal(r.status, 0, `bench --smoke exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
    const summary = JSON.parse(readFileSync(join(out, 'smoke-summary.json'), 'utf8')) as {
      mode: string;
      errors: Record<string, string>;
      table: { part: string; figure: string; measured: string }[];
      listing?: { strategies: { strategy: string; median: { failed: number } }[] }[];
      size?: { extensionBundleBytes: number };
      config?: { sizes: { medianMs: number }[] };
      signin?: { runsMs: number[] };
    };
    assert.equal(summary.mode, 'smoke');
    assert.deepEqual(summary.errors, {});
    assert.equal(summary.listing?.[0].strategies[0].strategy, 'ours');
    assert.ok(Number.isFinite(summary.listing?.[0].strategies[0].median.failed));
    assert.ok((summary.size?.extensionBundleBytes ?? 0) > 0);
    assert.equal(summary.config?.sizes.length, 2);
    assert.equal(summary.signin?.runsMs.length, 1);
    assert.ok(summary.table.length > 5);
    assert.match(r.stdout, /\| part +\| figure/);
    // No secret reaches the output: the fake's access tokens start with "aoa".
    assert.doesNotMatch(r.stdout + r.stderr, /aoa[A-Za-z0-9_-]{20}/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
