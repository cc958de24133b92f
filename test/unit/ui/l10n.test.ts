// Every user-facing string of the editor UI goes through vscode.l10n.t, and l10n/bundle.l10n.json
// (the file translators start from) lists exactly those strings.
// UPDATE_L10N=1 node test/run-unit.mjs l10n rewrites the bundle from the sources.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const BUNDLE = 'l10n/bundle.l10n.json';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? sources(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

/** The literal first arguments of `t(…)` (vscode.l10n.t, or a Translate passed in). */
function messages(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?<![\w.])(?:vscode\.l10n\.)?t\(\s*'((?:\\.|[^'\\])*)'/g)) {
    out.push(m[1].replace(/\\(.)/g, '$1'));
  }
  return out;
}

const files = [...sources('src/ui'), 'src/extension.ts'];
const used = [...new Set(files.flatMap(messages))].sort();

test('l10n/bundle.l10n.json lists exactly the strings the UI translates', () => {
  if (process.env.UPDATE_L10N) {
    writeFileSync(BUNDLE, JSON.stringify(Object.fromEntries(used.map((m) => [m, m])), null, 2) + '\n');
  }
  const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.keys(bundle).sort(), used, 'run with UPDATE_L10N=1 to refresh the bundle');
  for (const [k, v] of Object.entries(bundle)) assert.equal(v, k);
  assert.ok(used.length > 100, `${used.length} strings found`);
});

test('placeholders are numbered from {0} without gaps', () => {
  for (const m of used) {
    const n = [...m.matchAll(/\{(\d+)\}/g)].map((x) => Number(x[1]));
    const max = n.length ? Math.max(...n) : -1;
    for (let i = 0; i <= max; i++) assert.ok(n.includes(i), `"${m}" skips {${i}}`);
  }
});

test('no window message is built from a literal without t()', () => {
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    const bare = [...text.matchAll(/show(?:Information|Warning|Error)Message\(\s*'/g)];
    assert.equal(bare.length, 0, `${f} shows an untranslated message`);
  }
});
