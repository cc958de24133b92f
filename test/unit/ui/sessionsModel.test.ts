import assert from 'node:assert/strict';
import { test } from 'node:test';
import { combineSessions, phaseOf, tokenState } from '../../../src/ui/sessionsModel';

test('config sessions first, settings-only ones after; a session in both counts as the config file\'s', () => {
  const { sessions, problems } = combineSessions(
    [{ name: 'org', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] }],
    [
      { startUrl: 'd-1234567890.awsapps.com/start', region: 'us-east-1' },
      { name: 'other', startUrl: 'aws.example.com/', region: 'eu-west-1' },
      { name: 'bad', startUrl: 'ftp://x/', region: 'eu-west-1' },
    ],
  );
  assert.deepEqual(sessions.map((s) => [s.name, s.source]), [['org', 'config'], ['other', 'settings']]);
  assert.equal(sessions[1].startUrl, 'https://aws.example.com/');
  assert.equal(problems.length, 1);
  assert.match(problems[0], /https/);
});

test('token state: refreshable needs a refresh token and a client; phases by the clock', () => {
  assert.deepEqual(tokenState(undefined), {});
  const base = { startUrl: 's', region: 'r', accessToken: 'a', expiresAt: 1000 };
  assert.deepEqual(tokenState(base), { expiresAt: 1000 }, 'no refreshableUntil: never renews');
  assert.deepEqual(tokenState({ ...base, refreshToken: 'r', clientId: 'c', clientSecret: 's', registrationExpiresAt: 5000 }), {
    expiresAt: 1000,
    refreshableUntil: 5000,
  });
  assert.equal(phaseOf(undefined, 0), 'signedOut');
  assert.equal(phaseOf({ expiresAt: 1000 }, 999), 'signedIn');
  assert.equal(phaseOf({ expiresAt: 1000 }, 1000), 'expired');
});
