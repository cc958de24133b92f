// The config model reads files exactly as Python's configparser + botocore do, and keeps every byte.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseConfig, shlexSplit } from '../../../src/core/config/model';
import { loadFixtures, ScratchDir, variants } from '../../helpers/config-fixtures';
import { PyView, pythonShlex, pythonView } from '../../helpers/config-python';
import { serializeConfig } from '../../helpers/config-edits';

/** Cases chosen for configparser's corners: each is parsed by us and by python3. */
const TRICKY: string[] = [
  '',
  '# only a comment, no newline',
  '[default]\nregion = x # y\n',
  '[default]\nregion = x ; y\n',
  '[a]\nk = 1\n  cont\n\n  more\n# c\n  again\nz = 2\n',
  '[a]\n  [b]\nk = v\n',
  '[a]\nk = 1\n  [b]\nj = 2\n',
  '[a]\nA = 1\na = 2\n',
  '[a]\nk = 1\n[a]\n',
  '[DEFAULT]\nx=1\n[DEFAULT]\ny=2\n[s]\nx = 3\n',
  '[DEFAULT]\nx=1\n[DEFAULT]\nx=2\n',
  'k = v\n[a]\n',
  '\n# c\n  \n;x\n[a]\n',
  '[a]\nnovalue\n',
  '[a]\n= v\n',
  '[a]\n: v\n',
  '[a]\nk : v = w\n',
  '[a]\nk = v : w\n',
  '[a]]\nk=v\n',
  '[a] ; c\nk = v\n',
  '[a] x ]\nk = v\n',
  '[]\n',
  '[a]\n[]\n',
  '[a]\ns3 =\n  foo\n',
  '[a]\ns3 =\n  x = 1\n  y : 2\n',
  '[a]\ns3 =\n  x = 1\n\n  # note\n  y = 2\nz = 3\n',
  '[a]\nk =\n\n\n',
  '[a]\r\nk = v\r\n  c\r\n',
  '[a]\rk = v\r  c\rj = 1\r',
  '[a]\nk = v\r\nj = w\r[b]\n',
  '[a]\nk = v\x0c\n',
  '[a]\n\x0ck = v\n',
  '[a]\nk = v\n\u00a0cont\n',
  '[a]\nk = v\n\u2028x = 1\n',
  '[a]\nk=v\n\tk2 = v\n',
  ' [a]\nk = v\n',
  '[a]\n  k = 1\n k2 = 2\n',
  '[a]\n  k = 1\n   k2 = 2\n',
  '[profile "x]\nk=v\n',
  '[profile]\nk=v\n',
  '[profiles x]\nk=v\n',
  '[profile x y]\nk=v\n',
  '[profile "a b" ]\nk=v\n',
  "[sso-session 'q']\nsso_region = us-east-1\n",
  '[servicesfoo bar]\ns3 =\n  endpoint_url = x\n',
  '[default]\n[profile default]\n',
  '[profile x]\n[profile "x"]\n',
  '[a]\nk = v\\\n  x\n',
  '[a]\nKey With Spaces = v\n',
  '[a]\nK\u0130 = v\nSTRASSE = 1\n',
  '[a]\n[a] \n',
  '[ a ]\n[a]\n',
  '[a]\nk = \u00e9t\u00e9 \ud83d\ude80\n',
  '[a]\n   \nk = v\n   \n',
  '[a]\nk = v\n\n[b]\n  \n  x = 1\n',
];

function corpus(): Array<{ name: string; text: string }> {
  const all = loadFixtures().flatMap(variants);
  TRICKY.forEach((text, k) => all.push({ name: `tricky #${k} ${JSON.stringify(text).slice(0, 40)}`, text }));
  return all;
}

const scratch = new ScratchDir();
let cases: Array<{ name: string; text: string; py: PyView }> = [];

before(() => {
  const all = corpus();
  const views = pythonView(all.map((c) => scratch.write(c.text)));
  cases = all.map((c, k) => ({ ...c, py: views[k] }));
});
after(() => scratch.cleanup());

test('every byte survives parse → serialize', () => {
  const extra = ['\ufeff[default]\r\nregion = x', 'a\r\n\n\rb', '\r\r\n\n', '[a]\n\u0000k = v\n', '  \t  '];
  for (const { name, text } of [...corpus(), ...extra.map((text) => ({ name: JSON.stringify(text), text }))]) {
    assert.equal(serializeConfig(parseConfig(text)), text, name);
  }
});

test('a file is readable exactly when the CLI (configparser + botocore) can read it', () => {
  assert.ok(cases.length > 80);
  for (const c of cases) {
    const fatal = parseConfig(c.text).problems.filter((p) => !p.code.startsWith('ambiguous'));
    assert.equal(fatal.length === 0, c.py.ok, `${c.name}: ours ${JSON.stringify(fatal)} python ${c.py.error ?? 'ok'}`);
  }
  // Some of each kind, or the comparison above proves little.
  assert.ok(cases.filter((c) => !c.py.ok).length >= 10);
  assert.ok(cases.filter((c) => c.py.ok).length >= 40);
});

test('sections, keys and values match configparser, line by line', () => {
  for (const c of cases) {
    if (!c.py.ok) continue;
    const model = parseConfig(c.text);
    const own: Record<string, Record<string, string>> = {};
    const defaults: Record<string, string> = {};
    const order: string[] = [];
    for (const s of model.sections) {
      const target = s.kind === 'defaults' ? defaults : (own[s.header] = {});
      if (s.kind !== 'defaults') order.push(s.header);
      for (const o of s.options) target[o.key] = o.value;
    }
    assert.deepEqual(order, c.py.order, c.name);
    assert.deepEqual(own, c.py.sections, c.name);
    assert.deepEqual(defaults, c.py.defaults, c.name);
  }
});

test('profiles, sso-sessions and services are named as botocore names them', () => {
  for (const c of cases) {
    if (!c.py.ok) continue;
    const model = parseConfig(c.text);
    const names = (kind: string) => [...new Set(model.sections.filter((s) => s.kind === kind).map((s) => s.name!))].sort();
    assert.deepEqual(names('profile'), Object.keys(c.py.profiles!).sort(), c.name);
    assert.deepEqual(names('sso-session'), Object.keys(c.py.ssoSessions!).sort(), c.name);
    assert.deepEqual(names('services'), Object.keys(c.py.services!).sort(), c.name);
    // Two sections naming one profile are flagged: botocore would silently keep only the last.
    const profileSections = model.sections.filter((s) => s.kind === 'profile').length;
    const ambiguous = model.problems.some((p) => p.code === 'ambiguous-profile');
    assert.equal(ambiguous, profileSections > Object.keys(c.py.profiles!).length, c.name);
  }
});

test('line kinds and option ranges describe the file', () => {
  const m = parseConfig('# c\n[a]\nk = 1\n  more\n\n  again\nj: 2\n[b]\n');
  assert.deepEqual(
    m.lines.map((l) => l.kind),
    ['comment', 'header', 'option', 'continuation', 'blank', 'continuation', 'option', 'header'],
  );
  const [a, b] = m.sections;
  assert.deepEqual([a.line, a.end, b.line, b.end], [1, 7, 7, 8]);
  assert.deepEqual(
    a.options.map((o) => [o.key, o.line, o.lastLine, o.value]),
    [
      ['k', 2, 5, '1\nmore\n\nagain'],
      ['j', 6, 6, '2'],
    ],
  );
});

test('line endings: each line keeps its own, new lines follow the majority', () => {
  assert.equal(parseConfig('a\r\nb\r\nc\n').eol, '\r\n');
  assert.equal(parseConfig('a\nb\nc\r\n').eol, '\n');
  assert.equal(parseConfig('a\rb\r').eol, '\r');
  assert.equal(parseConfig('').eol, '\n');
  const m = parseConfig('a\r\nb\nc');
  assert.deepEqual(
    m.lines.map((l) => l.eol),
    ['\r\n', '\n', ''],
  );
  assert.equal(m.finalNewline, false);
  assert.equal(parseConfig('a\n').finalNewline, true);
  assert.equal(parseConfig('').finalNewline, true);
});

test('a BOM is kept but reported: the AWS CLI cannot read such a file', () => {
  const text = '\ufeff[default]\nregion = us-east-1\n';
  const m = parseConfig(text);
  assert.equal(m.bom, true);
  assert.equal(m.sections[0].header, 'default');
  assert.deepEqual(
    m.problems.map((p) => p.code),
    ['bom'],
  );
  const scratchBom = new ScratchDir();
  try {
    const [py] = pythonView([scratchBom.write(text)]);
    assert.equal(py.ok, false, 'python3 configparser rejects a BOM too');
  } finally {
    scratchBom.cleanup();
  }
});

test('header names split like shlex.split', () => {
  const inputs = [
    'profile x',
    'profile "my name"',
    "profile 'a b'",
    'profile  x ',
    'profile ""',
    'profile a\\ b',
    'profile "a\\b"',
    'profile "a\\"b"',
    "profile 'a\\b'",
    'profile a"b c"d',
    'profile "x',
    "profile 'x",
    'profile x\\',
    'profile\tx',
    'profile x\u00a0y',
    'profile "a\\\\b"',
    'profile a\\\\',
    'profile "a\\',
    'sso-session "corp"',
    'a b c',
  ];
  const want = pythonShlex(inputs);
  inputs.forEach((s, k) => assert.deepEqual(shlexSplit(s) ?? null, want[k], JSON.stringify(s)));
});
