// The contributed commands: all registered, the typed ids and the manifest in step, node-only
// commands hidden from the palette, and an icon wherever a command sits in a menu.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Command, NODE_ONLY_COMMANDS } from '../../../src/ui/commandIds';
import { EXTENSION_ID, testApi } from './uiHelpers';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string; icon?: string }[];
    menus: Record<string, { command: string; when?: string; group?: string }[]>;
  };
}

describe('commands', () => {
  let manifest: Manifest;

  before(async () => {
    await testApi();
    manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as Manifest;
  });

  it('registers every contributed command, and contributes every command it registers', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = manifest.contributes.commands.map((c) => c.command);
    assert.deepEqual(contributed.filter((c) => !registered.has(c)), []);
    assert.deepEqual([...contributed].sort(), Object.values(Command).sort());
    const ours = [...registered].filter((c) => c.startsWith('awsSsoProfiles.')).sort();
    assert.deepEqual(ours.filter((c) => !contributed.includes(c) && !c.endsWith('.focus') && !c.includes('.sessions.')), []);
  });

  it('puts every command under the AWS SSO category', () => {
    for (const c of manifest.contributes.commands) assert.ok(c.category && /AWS SSO|%category%/.test(c.category), c.command);
  });

  it('hides commands that need a tree node from the command palette', () => {
    const palette = manifest.contributes.menus.commandPalette;
    for (const id of NODE_ONLY_COMMANDS) {
      assert.ok(palette.some((m) => m.command === id && m.when === 'false'), `${id} is hidden from the palette`);
    }
  });

  it('gives an icon to every command shown in a view menu', () => {
    const icons = new Map(manifest.contributes.commands.map((c) => [c.command, c.icon]));
    for (const where of ['view/title', 'view/item/context']) {
      for (const m of manifest.contributes.menus[where]) assert.match(icons.get(m.command) ?? '', /^\$\([a-z-]+\)$/, `${m.command} in ${where}`);
    }
  });
});
