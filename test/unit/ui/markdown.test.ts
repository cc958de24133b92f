// Names in tooltips and icon-aware labels read as written: Markdown and `$(icon)` escaped.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeIcons, escapeMarkdown } from '../../../src/ui/util/markdown';

/** CommonMark: a backslash before ASCII punctuation is that character, literally. */
const unescape = (s: string) => s.replace(/\\([!-/:-@[-`{-~])/g, '$1');

test('every Markdown special character is escaped, and unescaping gives the name back', () => {
  const name = 'a*b_c`d[e](f)#g+h-i.j!k|l<m>n~o{p}q\\r&s';
  const md = escapeMarkdown(name);
  for (const c of '*_`[]()#+-.!|<>~{}&') assert.ok(md.includes(`\\${c}`), `${c} escaped in ${md}`);
  assert.equal(unescape(md), name);
  assert.equal(escapeMarkdown('plain name 123'), 'plain name 123');
});

test('an icon in a name stays text: the renderer sees \\$(…) after Markdown, not $(…)', () => {
  const md = escapeMarkdown('prod $(alert) team');
  assert.equal(md, 'prod \\\\$\\(alert\\) team');
  // What the Markdown pass leaves for the icon pass: an escaped icon, shown as text.
  assert.equal(unescape(md), 'prod \\$(alert) team');
  assert.equal(escapeMarkdown('$5 (five)'), '$5 \\(five\\)', 'a dollar that starts no icon is left alone');
});

test('icon-aware labels escape icons only', () => {
  assert.equal(escapeIcons('$(sync~spin) a.b'), '\\$(sync~spin) a.b');
  assert.equal(escapeIcons('cost $(not an icon)'), 'cost $(not an icon)');
});
