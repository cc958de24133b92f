import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSsoError } from '../../src/core/errors';
import {
  findSession,
  normalizeStartUrl,
  readStartUrl,
  regionsForStartUrl,
  rolesOfSession,
  sameStartUrl,
  sessionsInConfig,
  StartUrlReading,
  suggestSessionName,
} from '../../src/core/sessions';
import { describeRemaining } from '../../src/core/timeLeft';

const CONFIG = `[sso-session org]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1

[sso-session scoped]
sso_start_url = https://aws.example.com/
sso_region = us-east-1
sso_registration_scopes = sso:account:access, codewhisperer:completions

[profile a]
sso_session = org
sso_account_id = 111111111111
sso_role_name = Admin

[profile b]
sso_session = scoped
sso_account_id = 222222222222
sso_role_name = Read
`;

test('sessions come from [sso-session] sections, with default scopes when none are set', () => {
  const s = sessionsInConfig(CONFIG);
  assert.deepEqual(s.map((x) => x.name), ['org', 'scoped']);
  assert.deepEqual(s[0].scopes, ['sso:account:access']);
  assert.deepEqual(s[1].scopes, ['sso:account:access', 'codewhisperer:completions']);
  assert.equal(findSession(CONFIG, 'org').region, 'eu-west-1');
  assert.throws(() => findSession(CONFIG, 'nope'), (e) => isSsoError(e, 'InvalidInput') && /Known sessions: org, scoped/.test(e.message));
  assert.deepEqual(rolesOfSession(CONFIG, 'org'), [{ accountId: '111111111111', roleName: 'Admin' }]);
});

test('start URLs: a bare host gets https, http is upgraded, other schemes and credentials are refused', () => {
  assert.equal(normalizeStartUrl('aws.example.com/'), 'https://aws.example.com/');
  assert.equal(normalizeStartUrl(' https://d-1234567890.awsapps.com/start '), 'https://d-1234567890.awsapps.com/start');
  for (const bad of ['ftp://x/', 'file:///etc/passwd', '', 'https://user:pw@x.example.com/', 'http://user@x.example.com/']) {
    assert.throws(() => normalizeStartUrl(bad), (e) => isSsoError(e, 'InvalidInput'), bad);
  }
  assert.equal(suggestSessionName('https://d-1234567890.awsapps.com/start'), 'd-1234567890');
  assert.equal(suggestSessionName('https://aws.sciencecloud.nasa.gov/'), 'aws-sciencecloud-nasa');
});

test('start URLs as people paste them: each form, what changed, and the region or partition it names', () => {
  const cases: [string, Partial<StartUrlReading>][] = [
    ['http://aws.sciencecloud.nasa.gov/', { url: 'https://aws.sciencecloud.nasa.gov/', upgraded: true, trimmed: false }],
    ['HTTP://aws.sciencecloud.nasa.gov/', { url: 'https://aws.sciencecloud.nasa.gov/', upgraded: true }],
    ['https://d-1234567890.awsapps.com/start/#/', { url: 'https://d-1234567890.awsapps.com/start', upgraded: false, trimmed: true }],
    ['https://d-1234567890.awsapps.com/start#/console?account_id=1', { url: 'https://d-1234567890.awsapps.com/start', trimmed: true }],
    ['http://d-1234567890.awsapps.com/start/#/', { url: 'https://d-1234567890.awsapps.com/start', upgraded: true, trimmed: true }],
    ['https://d-1234567890.awsapps.com/start/', { url: 'https://d-1234567890.awsapps.com/start/', trimmed: false }],
    ['https://aws.example.com/#/', { url: 'https://aws.example.com/', trimmed: true }],
    ['https://d-1234567890.awsapps.com/start', { url: 'https://d-1234567890.awsapps.com/start', upgraded: false, trimmed: false, region: undefined, partition: undefined }],
    ['https://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws', { url: 'https://ssoins-7223c4b8f5e4a3d1.portal.eu-central-1.app.aws', region: 'eu-central-1', partition: undefined }],
    ['ssoins-7223c4b8f5e4a3d1.portal.us-gov-west-1.app.aws/', { region: 'us-gov-west-1', partition: 'aws-us-gov' }],
    ['https://ssoins-1.portal.Nowhere.app.aws', { region: undefined }],
    ['https://start.us-gov-home.awsapps.com/directory/d-9067642ac7', { url: 'https://start.us-gov-home.awsapps.com/directory/d-9067642ac7', region: undefined, partition: 'aws-us-gov' }],
    ['https://d-1234567890.awsapps.cn/start', { partition: 'aws-cn' }],
  ];
  for (const [input, want] of cases) {
    const got = readStartUrl(input);
    for (const [k, v] of Object.entries(want)) assert.equal(got[k as keyof StartUrlReading], v, `${input}: ${k}`);
  }
  assert.deepEqual(regionsForStartUrl({ partition: 'aws-us-gov' }), ['us-gov-west-1', 'us-gov-east-1']);
  assert.deepEqual(regionsForStartUrl({ partition: 'aws-cn' }), ['cn-north-1', 'cn-northwest-1']);
  assert.equal(regionsForStartUrl({ region: 'eu-central-1' })[0], 'eu-central-1');
  assert.equal(new Set(regionsForStartUrl({ region: 'eu-central-1' })).size, regionsForStartUrl({}).length, 'offered once');
  // The comparison rule stays the exact string: normalising happens once, on input.
  assert.equal(sameStartUrl('https://d-1234567890.awsapps.com/start', 'https://d-1234567890.awsapps.com/start/'), false);
});

test('remaining time reads like a countdown', () => {
  const now = 1_000_000;
  assert.equal(describeRemaining(now + (7 * 60 + 42) * 60_000 + 5_000, now), '7h 42m');
  assert.equal(describeRemaining(now + 12 * 60_000, now), '12m');
  assert.equal(describeRemaining(now + 45_000, now), '45s');
  assert.equal(describeRemaining(now, now), 'expired');
  assert.equal(describeRemaining(now + 3 * 86_400_000, now), '3d 0h');
});

test('start URLs compare as the AWS CLI compares them: the exact string, ends trimmed', () => {
  assert.equal(sameStartUrl('https://d-1.awsapps.com/start', ' https://d-1.awsapps.com/start\t'), true);
  assert.equal(sameStartUrl('https://d-1.awsapps.com/start', 'https://d-1.awsapps.com/start/'), false);
  assert.equal(sameStartUrl('https://d-1.awsapps.com/start', 'https://D-1.awsapps.com/start'), false);
  assert.equal(sameStartUrl('https://d-1.awsapps.com/start#/', 'https://d-1.awsapps.com/start'), false);
});
