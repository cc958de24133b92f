// package.json's contributions against the code: command ids, menus, when-clauses, settings, strings.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Command, CONFIG_SECTION, NODE_ONLY_COMMANDS, SESSIONS_VIEW_ID } from '../../../src/ui/commandIds';
import { contextValue, NodeFlag, NodeKind } from '../../../src/ui/contextKeys';
import { OUTPUT_FORMATS } from '../../../src/ui/settingsModel';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const nls = JSON.parse(readFileSync('package.nls.json', 'utf8'));
const menus: Record<string, { command: string; when?: string; group?: string }[]> = pkg.contributes.menus;

test('the typed command ids and the contributed commands are the same set', () => {
  const contributed = pkg.contributes.commands.map((c: { command: string }) => c.command).sort();
  assert.deepEqual(contributed, Object.values(Command).sort());
});

test('every command has a title and the "AWS SSO" category, through package.nls.json', () => {
  for (const c of pkg.contributes.commands) {
    assert.match(c.title, /^%command\.\w+%$/, c.command);
    assert.equal(typeof nls[c.title.slice(1, -1)], 'string', c.title);
    assert.equal(c.category, '%category%');
  }
  assert.equal(nls.category, 'AWS SSO');
});

test('commands that need a tree node are hidden from the palette; the others are not', () => {
  for (const m of menus.commandPalette) {
    if (m.when === 'false') assert.ok(NODE_ONLY_COMMANDS.includes(m.command as never), `${m.command} is hidden but needs no node`);
  }
  for (const id of NODE_ONLY_COMMANDS) assert.ok(menus.commandPalette.some((m) => m.command === id && m.when === 'false'), id);
});

test('every menu entry names a contributed command that has an icon', () => {
  const icons = new Map<string, string | undefined>(pkg.contributes.commands.map((c: { command: string; icon?: string }) => [c.command, c.icon]));
  for (const [where, entries] of Object.entries(menus)) {
    for (const m of entries) {
      assert.ok(icons.has(m.command), `${where}: ${m.command} is not contributed`);
      if (where !== 'commandPalette') assert.match(icons.get(m.command) ?? '', /^\$\([a-z-]+\)$/, `${where}: ${m.command}`);
    }
  }
});

/** Evaluates the `viewItem =~ /…/` parts of a when-clause against a contextValue (enough for our menus). */
function matchesViewItem(when: string, value: string): boolean {
  const clauses = when.split('&&').map((c) => c.trim()).filter((c) => c.includes('viewItem'));
  return clauses.every((c) => {
    const negated = c.startsWith('!');
    const m = /viewItem =~ \/(.*)\/\)?$/.exec(c);
    assert.ok(m, `cannot read ${c}`);
    const hit = new RegExp(m[1]).test(value);
    return negated ? !hit : hit;
  });
}

test('the tree menus match the contextValues the tree produces', () => {
  const items = menus['view/item/context'];
  const commandsFor = (kind: NodeKind, flags: NodeFlag[]) =>
    items.filter((m) => m.when?.includes(`view == ${SESSIONS_VIEW_ID}`) && matchesViewItem(m.when, contextValue(kind, flags))).map((m) => m.command);

  const signedOut = commandsFor('awsSession', ['signedOut', 'fromConfig']);
  assert.ok(signedOut.includes(Command.signIn));
  assert.ok(!signedOut.includes(Command.signOut));
  const signedIn = commandsFor('awsSession', ['signedIn', 'fromConfig']);
  assert.ok(signedIn.includes(Command.signOut) && signedIn.includes(Command.createProfilesForAll));
  assert.deepEqual([...new Set(commandsFor('awsAccount', []))].sort(), [Command.copyAccountId, Command.createProfilesForAll, Command.pin].sort());
  // Pin or Unpin, never both: the `pinned` flag decides.
  for (const kind of ['awsAccount', 'awsRole'] as const) {
    assert.ok(commandsFor(kind, []).includes(Command.pin) && !commandsFor(kind, []).includes(Command.unpin), kind);
    assert.ok(commandsFor(kind, ['pinned']).includes(Command.unpin) && !commandsFor(kind, ['pinned']).includes(Command.pin), kind);
  }
  assert.deepEqual(commandsFor('awsGroup', []), [], 'a group has no menu');
  const bareRole = commandsFor('awsRole', []);
  assert.ok(bareRole.includes(Command.createProfile) && !bareRole.includes(Command.useProfile));
  for (const c of [Command.openConsole, Command.copyCredentials, Command.writeCredentials, Command.copyAccountId]) assert.ok(bareRole.includes(c), c);
  const withProfile = items.filter((m) => m.group?.startsWith('inline') && matchesViewItem(m.when!, contextValue('awsRole', ['hasProfile']))).map((m) => m.command);
  assert.ok(withProfile.includes(Command.useProfile) && !withProfile.includes(Command.createProfile), 'inline: use, not create');
  assert.ok(commandsFor('awsRetry', []).includes(Command.retry));
  // A role's menu never offers session commands.
  assert.ok(!bareRole.includes(Command.signIn));
});

test('a welcome view offers to add a session and links to the docs', () => {
  const welcome = pkg.contributes.viewsWelcome.find((w: { view: string }) => w.view === SESSIONS_VIEW_ID);
  const text: string = nls[welcome.contents.slice(1, -1)];
  assert.match(text, /\[Add SSO Session\]\(command:awsSsoProfiles\.addSession\)/);
  assert.match(text, /\]\(https:\/\/docs\.aws\.amazon\.com\//);
});

test('settings: described in markdown, enums described, every placeholder string defined', () => {
  const props = pkg.contributes.configuration.properties;
  for (const [key, p] of Object.entries<Record<string, unknown>>(props)) {
    assert.ok(key.startsWith(`${CONFIG_SECTION}.`), key);
    assert.ok(typeof p.markdownDescription === 'string', `${key} has a markdownDescription`);
    if (p.enum) assert.equal((p.enumDescriptions as unknown[]).length, (p.enum as unknown[]).length, key);
  }
  assert.deepEqual(props[`${CONFIG_SECTION}.defaultOutput`].enum, OUTPUT_FORMATS);
  assert.deepEqual(props[`${CONFIG_SECTION}.signInFlow`].enum, ['auto', 'deviceCode', 'authorizationCode']);
  for (const m of JSON.stringify(pkg).matchAll(/%([\w.-]+)%/g)) assert.equal(typeof nls[m[1]], 'string', m[1]);
});

test('Restricted Mode: a workspace cannot set what reaches the AWS files or the sign-in', () => {
  // A cloned repository's .vscode/settings.json applies even before the folder is trusted,
  // unless the setting is restricted. The warning threshold alone only changes a colour.
  const props = Object.keys(pkg.contributes.configuration.properties);
  const harmless = [`${CONFIG_SECTION}.expiryWarningMinutes`];
  const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
  assert.deepEqual([...restricted].sort(), props.filter((k) => !harmless.includes(k)).sort());
  for (const key of [`${CONFIG_SECTION}.defaultRegion`, `${CONFIG_SECTION}.profileName.preset`, `${CONFIG_SECTION}.profileName.template`, `${CONFIG_SECTION}.signInFlow`]) {
    assert.ok(restricted.includes(key), `${key} is restricted`);
  }
  assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
});

test('behaviour: a workspace extension, activated on startup, with its view and icon', () => {
  assert.deepEqual(pkg.extensionKind, ['workspace']);
  assert.deepEqual(pkg.activationEvents, ['onStartupFinished']);
  assert.equal(pkg.main, './dist/extension.js');
  assert.equal(pkg.contributes.views.awsSsoProfiles[0].id, SESSIONS_VIEW_ID);
  assert.equal(pkg.l10n, './l10n');
  assert.ok(readFileSync(pkg.contributes.viewsContainers.activitybar[0].icon, 'utf8').includes('<svg'));
  assert.equal(readFileSync(pkg.icon).subarray(1, 4).toString(), 'PNG');
});
