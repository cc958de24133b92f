// The Accounts menu's sessions: signed in only, filtered by the scopes asked for (the default
// scope when a session names none), and what a change tells.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { accountEntries, diffEntries, holdsScopes } from '../../../src/ui/accountsModel';
import type { SignInPhase, UiSession } from '../../../src/ui/sessionsModel';

const session = (name: string, scopes: string[] = []): UiSession => ({ name, startUrl: `https://${name}.awsapps.com/start`, region: 'eu-west-1', scopes, source: 'config' });

test('signed-in sessions holding every scope asked for; no scopes named means sso:account:access', () => {
  const sessions = [session('plain'), session('codecatalyst', ['codecatalyst:read_write']), session('both', ['sso:account:access', 'codecatalyst:read_write']), session('out')];
  const state = (name: string): { phase: SignInPhase; expiresAt?: number } => (name === 'out' ? { phase: 'signedOut' } : { phase: 'signedIn', expiresAt: 1000 });
  assert.deepEqual(accountEntries(sessions, state).map((e) => e.name), ['plain', 'codecatalyst', 'both']);
  assert.deepEqual(accountEntries(sessions, state, ['sso:account:access']).map((e) => [e.name, e.scopes]), [
    ['plain', ['sso:account:access']],
    ['both', ['sso:account:access', 'codecatalyst:read_write']],
  ]);
  assert.deepEqual(accountEntries(sessions, state, ['codecatalyst:read_write', 'sso:account:access']).map((e) => e.name), ['both']);
  assert.ok(holdsScopes(session('out'), ['sso:account:access']), 'a signed-out session may still be signed in to');
  assert.ok(!holdsScopes(session('x', ['a']), ['sso:account:access']));
});

test('a change tells sign-ins, sign-outs and renewals', () => {
  const e = (name: string, expiresAt: number) => ({ name, scopes: ['sso:account:access'], expiresAt });
  const d = diffEntries([e('a', 1), e('b', 1), e('c', 1)], [e('a', 1), e('b', 2), e('d', 1)]);
  assert.deepEqual(d.added.map((x) => x.name), ['d']);
  assert.deepEqual(d.removed.map((x) => x.name), ['c']);
  assert.deepEqual(d.changed.map((x) => x.name), ['b']);
  assert.deepEqual(diffEntries([e('a', 1)], [e('a', 1)]), { added: [], removed: [], changed: [] });
});
