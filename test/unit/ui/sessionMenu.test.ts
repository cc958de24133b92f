// The session's menus in package.json: what a signed-in session is offered (issue 14, item 7).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { contextValue } from '../../../src/ui/contextKeys';

interface Menu { command: string; when?: string; group?: string }
const manifest = JSON.parse(readFileSync('package.json', 'utf8'));
const items: Menu[] = manifest.contributes.menus['view/item/context'];

/** Whether the menu item shows on a session node in `phase`, with the contextValue the tree gives it. */
function shows(m: Menu, phase: 'signedIn' | 'expired' | 'signedOut'): boolean {
  const viewItem = contextValue('awsSession', [phase, 'fromConfig']);
  return (m.when ?? '').split('&&').every((c) => {
    const re = /viewItem =~ \/(.*)\/$/.exec(c.trim());
    return re ? new RegExp(re[1]).test(viewItem) : true;
  });
}

test('a signed-in session offers no Sign In, inline or in its context menu; others do', () => {
  const signIn = items.filter((m) => m.command === 'awsSsoProfiles.signIn' && /awsSession/.test(m.when ?? ''));
  assert.ok(signIn.length >= 2);
  for (const m of signIn) {
    assert.equal(shows(m, 'signedIn'), false, `${m.group}: ${m.when}`);
    assert.equal(shows(m, 'expired'), true);
    assert.equal(shows(m, 'signedOut'), true);
  }
});

test('Create Profiles for All Roles has an "add" icon, not the copy-like "files"', () => {
  const c = manifest.contributes.commands.find((x: { command: string }) => x.command === 'awsSsoProfiles.createProfilesForAll');
  assert.equal(c.icon, '$(diff-added)');
});
