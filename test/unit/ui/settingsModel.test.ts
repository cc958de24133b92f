import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeSettings } from '../../../src/ui/settingsModel';

const from = (o: Record<string, unknown>) => normalizeSettings((k) => o[k]);

test('defaults', () => {
  assert.deepEqual(from({}), {
    profileNameTemplate: 'default',
    defaultRegion: undefined,
    defaultOutput: 'json',
    signInFlow: 'auto',
    expiryWarningMinutes: 30,
    configFile: undefined,
    sessions: [],
    profileRegions: {},
  });
});

test('a preset is passed by name; custom uses the template setting', () => {
  assert.equal(from({ 'profileName.preset': 'granted' }).profileNameTemplate, 'granted');
  assert.equal(from({ 'profileName.preset': 'custom', 'profileName.template': '{session}-{roleName}' }).profileNameTemplate, '{session}-{roleName}');
  assert.equal(from({ 'profileName.preset': 'custom', 'profileName.template': '  ' }).profileNameTemplate, '{accountName}-{roleName}');
  assert.equal(from({ 'profileName.preset': 'nonsense' }).profileNameTemplate, '{accountName}-{roleName}');
});

test('hand-edited nonsense falls back to the defaults', () => {
  const s = from({ defaultOutput: 'xml', signInFlow: 'magic', expiryWarningMinutes: -3, sessions: 'nope', defaultRegion: ' ', configFile: 7 });
  assert.equal(s.defaultOutput, 'json');
  assert.equal(s.signInFlow, 'auto');
  assert.equal(s.expiryWarningMinutes, 30);
  assert.deepEqual(s.sessions, []);
  assert.equal(s.defaultRegion, undefined);
  assert.equal(s.configFile, undefined);
  assert.deepEqual(from({ sessions: [{ name: 'a' }, null, 3] }).sessions, [{ name: 'a' }]);
  assert.deepEqual(from({ profileRegions: ['eu-west-1'] }).profileRegions, {}, 'the per-account regions are an object or nothing');
});

test('values are trimmed and kept', () => {
  const s = from({ defaultRegion: ' eu-west-1 ', configFile: '~/work/aws-config', signInFlow: 'deviceCode', expiryWarningMinutes: 0 });
  assert.equal(s.defaultRegion, 'eu-west-1');
  assert.equal(s.configFile, '~/work/aws-config');
  assert.equal(s.signInFlow, 'deviceCode');
  assert.equal(s.expiryWarningMinutes, 0);
});
