// Everything the tree's menus do can be reached without the mouse: from the palette (commands that
// ask for a session), from Find's role and account actions, or by a keybinding.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command, SESSIONS_VIEW_ID } from '../../../src/ui/commandIds';
import { FIND_ACCOUNT_COMMANDS, FIND_CHAINED_COMMANDS, FIND_ROLE_COMMANDS } from '../../../src/ui/commands/findModel';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const menus: Record<string, { command: string; when?: string }[]> = pkg.contributes.menus;
const hidden = new Set(menus.commandPalette.filter((m) => m.when === 'false').map((m) => m.command));

test('every command of the tree menus is in the palette or among Find\'s actions for its kind of node', () => {
  for (const m of menus['view/item/context']) {
    if (!hidden.has(m.command)) continue;
    const when = m.when ?? '';
    // A failure's Retry is the palette's Refresh.
    if (/awsRetry/.test(when)) {
      assert.ok(m.command === Command.retry && !hidden.has(Command.refresh), m.command);
      continue;
    }
    if (/awsChained/.test(when)) assert.ok(FIND_CHAINED_COMMANDS.includes(m.command as never), `${m.command} on a chained profile`);
    else if (/awsRole/.test(when)) assert.ok(FIND_ROLE_COMMANDS.includes(m.command as never), `${m.command} on a role`);
    else if (/awsAccount/.test(when)) assert.ok(FIND_ACCOUNT_COMMANDS.includes(m.command as never), `${m.command} on an account`);
    else assert.fail(`${m.command} (${when}) has no keyboard route`);
  }
});

test('Sign In, Find, Create Profile and Open Console… have keybindings; the role ones only in the Sessions view', () => {
  const keys: { command: string; key: string; mac?: string; when?: string }[] = pkg.contributes.keybindings;
  const byCommand = new Map(keys.map((k) => [k.command, k]));
  for (const c of [Command.signIn, Command.find, Command.createProfile, Command.openConsoleAt]) {
    const k = byCommand.get(c);
    assert.ok(k, `${c} has a keybinding`);
    assert.ok(k.key && k.mac, c);
    assert.ok(Object.values(Command).includes(c));
  }
  assert.equal(byCommand.get(Command.createProfile)!.when, `focusedView == ${SESSIONS_VIEW_ID}`);
  assert.equal(byCommand.get(Command.openConsoleAt)!.when, `focusedView == ${SESSIONS_VIEW_ID}`);
  assert.equal(byCommand.get(Command.find)!.when, undefined, 'Find works from anywhere');
  assert.equal(new Set(keys.map((k) => k.key)).size, keys.length, 'no two share a key');
});
