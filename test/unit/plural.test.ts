import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { plural } from '../../src/core/plural';

test('1 takes the singular, every other count the plural', () => {
  const f = (n: number) => plural(n, `${n} new profile`, `${n} new profiles`);
  assert.equal(f(1), '1 new profile');
  assert.equal(f(0), '0 new profiles');
  assert.equal(f(3), '3 new profiles');
});

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

test('no message, log line or bundle string counts a noun with "(s)"', () => {
  const hits: string[] = [];
  for (const f of [...sources('src'), 'l10n/bundle.l10n.json', 'package.nls.json']) {
    readFileSync(f, 'utf8').split('\n').forEach((line, i) => {
      if (/\b(profiles?|accounts?|roles?|files?|sections?|sessions?|items?|credentials?)\(s\)/i.test(line)) hits.push(`${f}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(hits, []);
});
