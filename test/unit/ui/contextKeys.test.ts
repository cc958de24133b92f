import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextValue, hasToken } from '../../../src/ui/contextKeys';

test('contextValue is a token list: kind first, each token ended by ";"', () => {
  assert.equal(contextValue('awsRole'), 'awsRole;');
  assert.equal(contextValue('awsRole', ['hasProfile', undefined, false, 'activeProfile']), 'awsRole;hasProfile;activeProfile;');
});

test('hasToken matches whole tokens only', () => {
  const v = contextValue('awsSession', ['signedIn', 'fromSettings']);
  assert.ok(hasToken(v, 'awsSession'));
  assert.ok(hasToken(v, 'signedIn'));
  assert.ok(!hasToken(v, 'signedOut'));
  assert.ok(!hasToken('awsSessionX;', 'awsSession'));
  assert.ok(!hasToken(undefined, 'awsRole'));
});
