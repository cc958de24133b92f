import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contextValue } from '../../../src/ui/contextKeys';

test('contextValue is a token list: kind first, each token ended by ";"', () => {
  assert.equal(contextValue('awsRole'), 'awsRole;');
  assert.equal(contextValue('awsRole', ['hasProfile', undefined, false, 'activeProfile']), 'awsRole;hasProfile;activeProfile;');
});

test('the menus\' `(^|;)token;` regex matches whole tokens only', () => {
  const has = (value: string, token: string) => new RegExp(`(^|;)${token};`).test(value);
  const v = contextValue('awsSession', ['signedIn', 'fromSettings']);
  assert.ok(has(v, 'awsSession'));
  assert.ok(has(v, 'signedIn'));
  assert.ok(!has(v, 'signedOut'));
  assert.ok(!has(contextValue('awsRole', ['hasProfile']), 'Profile'));
});
