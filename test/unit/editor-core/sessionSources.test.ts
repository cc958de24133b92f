// Tests merging sessions from the config file and settings.json (config wins, bad entries reported).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergeSessions, SessionSetting } from '../../../src/core/sessionSources';
import { NamedSession } from '../../../src/core/sessions';

const CONFIG: NamedSession[] = [
  { name: 'corp', startUrl: 'https://d-1111111111.awsapps.com/start', region: 'eu-west-1', scopes: ['sso:account:access'] },
  { name: 'lab', startUrl: 'https://lab.example.com/start/', region: 'us-east-1', scopes: ['sso:account:access', 'codewhisperer:completions'] },
];

test('config sessions only: marked config, copied (not shared)', () => {
  const m = mergeSessions(CONFIG, []);
  assert.deepEqual(m.map((s) => [s.name, s.source]), [['corp', 'config'], ['lab', 'config']]);
  assert.deepEqual(m.problems, []);
  m[1].scopes.push('x');
  assert.equal(CONFIG[1].scopes.length, 2);
});

test('a settings session for the same start URL and region merges into the config one (source both, config wins)', () => {
  const m = mergeSessions(CONFIG, [
    { startUrl: 'lab.example.com/start/', region: 'us-east-1', scopes: ['other:scope'] },
    { name: 'corp', startUrl: ' https://d-1111111111.awsapps.com/start ', region: 'eu-west-1' },
  ]);
  assert.equal(m.length, 2);
  assert.deepEqual(m.map((s) => [s.name, s.source]), [['corp', 'both'], ['lab', 'both']]);
  assert.deepEqual(m[1].scopes, ['sso:account:access', 'codewhisperer:completions']);
  assert.equal(m[1].startUrl, 'https://lab.example.com/start/');
  assert.deepEqual(m.problems, []);
});

test('start URLs compare as the AWS CLI compares them: another case or a trailing slash is another portal', () => {
  const m = mergeSessions(CONFIG, [
    { startUrl: 'HTTPS://LAB.example.com/start', region: 'us-east-1' },
    { name: 'corp', startUrl: 'https://d-1111111111.awsapps.com/start/', region: 'eu-west-1' },
  ]);
  assert.deepEqual(m.map((s) => [s.name, s.source]), [['corp', 'config'], ['lab', 'config'], ['lab-example', 'settings']]);
  assert.equal(m.problems.length, 1);
  assert.match(m.problems[0].message, /\[sso-session corp\], which points elsewhere/);
});

test('settings-only sessions: normalised, named from the start URL when unnamed, unique names', () => {
  const m = mergeSessions(CONFIG, [
    { startUrl: 'd-2222222222.awsapps.com/start', region: 'eu-central-1' },
    { startUrl: 'https://d-1111111111.awsapps.com/start', region: 'us-west-2' }, // same URL, other region
    { startUrl: 'https://d-1111111111.awsapps.com/start', region: 'ap-south-1' },
    { name: 'partner', startUrl: 'https://partner.awsapps.com/start', region: 'eu-west-2', scopes: ['sso:account:access', 'sso:account:access'] },
  ]);
  assert.deepEqual(
    m.slice(2).map((s) => ({ name: s.name, startUrl: s.startUrl, region: s.region, scopes: s.scopes, source: s.source })),
    [
      { name: 'd-2222222222', startUrl: 'https://d-2222222222.awsapps.com/start', region: 'eu-central-1', scopes: ['sso:account:access'], source: 'settings' },
      { name: 'd-1111111111', startUrl: 'https://d-1111111111.awsapps.com/start', region: 'us-west-2', scopes: ['sso:account:access'], source: 'settings' },
      { name: 'd-1111111111-2', startUrl: 'https://d-1111111111.awsapps.com/start', region: 'ap-south-1', scopes: ['sso:account:access'], source: 'settings' },
      { name: 'partner', startUrl: 'https://partner.awsapps.com/start', region: 'eu-west-2', scopes: ['sso:account:access'], source: 'settings' },
    ],
  );
  assert.deepEqual(m.problems, []);
});

test('a derived name that a config session holds gets a suffix', () => {
  const m = mergeSessions([{ ...CONFIG[0], name: 'd-3333333333' }], [{ startUrl: 'https://d-3333333333.awsapps.com/start', region: 'us-east-2' }]);
  assert.deepEqual(m.map((s) => s.name), ['d-3333333333', 'd-3333333333-2']);
});

test('an explicit name held by a different config session: config wins, the setting is reported', () => {
  const m = mergeSessions(CONFIG, [{ name: 'corp', startUrl: 'https://elsewhere.awsapps.com/start', region: 'eu-west-1' }]);
  assert.equal(m.length, 2);
  assert.equal(m[0].startUrl, CONFIG[0].startUrl);
  assert.equal(m.problems.length, 1);
  assert.equal(m.problems[0].index, 0);
  assert.match(m.problems[0].message, /\[sso-session corp\].*config file wins/);
});

test('duplicates within the settings: same URL and region merged, same name elsewhere reported', () => {
  const m = mergeSessions([], [
    { name: 'a', startUrl: 'https://a.awsapps.com/start', region: 'eu-west-1' },
    { startUrl: '  a.awsapps.com/start', region: 'eu-west-1' },
    { name: 'b', startUrl: 'https://a.awsapps.com/start', region: 'eu-west-1' },
    { name: 'a', startUrl: 'https://z.awsapps.com/start', region: 'eu-west-1' },
  ]);
  assert.deepEqual(m.map((s) => [s.name, s.source]), [['a', 'settings']]);
  assert.deepEqual(m.problems.map((p) => p.index), [2, 3]);
  assert.match(m.problems[0].message, /same start URL and region as session "a"/);
  assert.match(m.problems[1].message, /repeats the name/);
});

test('invalid entries become problems, never exceptions, and the valid ones still come through', () => {
  const bad: unknown[] = [
    null,
    'https://x.awsapps.com/start',
    [],
    { region: 'eu-west-1' },
    { startUrl: 'ftp://insecure.awsapps.com/start', region: 'eu-west-1' },
    { startUrl: 'https://user:pw@x.awsapps.com/start', region: 'eu-west-1' },
    { startUrl: 'https://x.awsapps.com/start', region: 'Europe' },
    { startUrl: 'https://x.awsapps.com/start' },
    { startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', scopes: 'sso:account:access' },
    { startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', scopes: [] },
    { startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1', scopes: ['a b'] },
    { name: 'has space', startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1' },
    { name: 42, startUrl: 'https://x.awsapps.com/start', region: 'eu-west-1' },
    { startUrl: 'https://ok.awsapps.com/start', region: 'eu-west-1' },
  ];
  const m = mergeSessions(CONFIG, bad as SessionSetting[]);
  assert.deepEqual(m.problems.map((p) => p.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert.match(m.problems[4].message, /^Session setting 5: .*https/);
  assert.match(m.problems[6].message, /not an AWS region/);
  assert.match(m.problems[11].message, /Session setting 12 \("has space"\)/);
  assert.deepEqual(m.map((s) => s.name), ['corp', 'lab', 'ok']);
  // Not even a non-array blows up.
  assert.deepEqual([...mergeSessions(CONFIG, undefined as unknown as SessionSetting[])].map((s) => s.name), ['corp', 'lab']);
});

test('the result is an array that also destructures as { sessions, problems }', () => {
  const m = mergeSessions(CONFIG, [{ startUrl: 'nope://x', region: 'eu-west-1' }]);
  const { sessions, problems } = m;
  assert.equal(sessions.length, 2);
  assert.equal(problems.length, 1);
  assert.ok(Array.isArray(m));
  assert.deepEqual(Object.keys(m), ['0', '1'], 'the extras do not show up as entries');
});
