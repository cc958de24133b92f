// The Get Started walkthrough in a real editor: it is contributed and opens, its buttons' commands
// exist, and each step's context key turns true when its state is reached.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import { configText, EXTENSION_ID, inHarness, SESSION, signIn, testApi, waitFor } from './uiHelpers';

const WALKTHROUGH = `${EXTENSION_ID}#awsSsoProfiles.gettingStarted`;

interface Step {
  id: string;
  description: string;
  completionEvents: string[];
}

describe('walkthrough', () => {
  let api: TestApi;

  before(async () => {
    api = await testApi();
  });

  const key = (name: string) => api.walkthroughKeys()[`awsSsoProfiles.${name}`];

  it('contributes five steps, each completed by a context key', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs: { id: string; steps: Step[] }[] } };
    const steps = pkg.contributes.walkthroughs[0].steps;
    assert.deepEqual(
      steps.map((s) => s.completionEvents),
      ['hasSession', 'signedIn', 'hasProfile', 'activeProfile', 'noLongTermKeys'].map((k) => [`onContext:awsSsoProfiles.${k}`]),
    );
  });

  it('every button runs a registered command', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    const nls = JSON.parse(Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(ext.extensionUri, 'package.nls.json'))).toString('utf8')) as Record<string, string>;
    const steps = (ext.packageJSON as { contributes: { walkthroughs: { steps: Step[] }[] } }).contributes.walkthroughs[0].steps;
    const registered = new Set(await vscode.commands.getCommands(true));
    for (const s of steps) {
      const text = nls[s.description.replace(/^%|%$/g, '')] ?? s.description;
      const ids = [...text.matchAll(/\(command:([\w.]+)\)/g)].map((m) => m[1]);
      assert.ok(ids.length > 0, s.id);
      for (const id of ids) assert.ok(registered.has(id), `${s.id}: ${id} is not a registered command`);
    }
  });

  it('opens with workbench.action.openWalkthrough', async () => {
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, false);
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
    const tab = await waitFor('the walkthrough tab', () => tabs().find((t) => /Walkthrough|Welcome/.test(t.label))).catch((e: Error) => {
      throw new Error(`${e.message}; tabs: ${tabs().map((t) => t.label).join(', ')}`);
    });
    console.log(`      (tab: ${tab.label})`);
    await vscode.window.tabGroups.close(tab);
  });

  it('step 1: a session from the config file sets hasSession', async function () {
    if (!inHarness()) this.skip();
    await api.store.reload();
    assert.ok(api.store.find(SESSION));
    await waitFor('hasSession', () => key('hasSession') === true);
  });

  it('step 2: signing in sets signedIn', async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    await signIn(api);
    await waitFor('signedIn', () => key('signedIn') === true);
  });

  it('step 3: an SSO profile of a known session sets hasProfile; a profile without SSO does not', async function () {
    if (!inHarness()) this.skip();
    const original = configText();
    const config = process.env.AWS_CONFIG_FILE!;
    try {
      writeFileSync(config, `${original.replace(/\[profile[\s\S]*$/, '')}\n[profile keys-only]\nregion = us-east-1\n`);
      await api.store.reload();
      await waitFor('hasProfile false', () => key('hasProfile') === false);
      writeFileSync(config, `${configText()}\n[profile walkthrough-dev]\nsso_session = ${SESSION}\nsso_account_id = 111122223333\nsso_role_name = ReadOnlyAccess\n`);
      await api.store.reload();
      await waitFor('hasProfile', () => key('hasProfile') === true);
    } finally {
      writeFileSync(config, original);
      await api.store.reload();
    }
  });

  it('step 4: a profile for new terminals sets activeProfile', async () => {
    const before = api.activeProfile();
    try {
      await vscode.commands.executeCommand('awsSsoProfiles.useProfile', 'walkthrough-dev');
      await waitFor('activeProfile', () => key('activeProfile') === true);
      await vscode.commands.executeCommand('awsSsoProfiles.stopUsingProfile');
      await waitFor('activeProfile false', () => key('activeProfile') === false);
    } finally {
      if (before) await vscode.commands.executeCommand('awsSsoProfiles.useProfile', before);
    }
  });

  it('step 5: noLongTermKeys only once the check leaves no key', async function () {
    if (!inHarness()) this.skip();
    const file = process.env.AWS_SHARED_CREDENTIALS_FILE!;
    const cleanUp = () => {
      api.answers.clear();
      rmSync(file, { force: true });
      for (const f of readdirSync(dirname(file))) if (f.startsWith(`${basename(file)}.`) && f.endsWith('.bak')) rmSync(join(dirname(file), f));
    };
    try {
      writeFileSync(
        file,
        '[a]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = x\n\n[b]\naws_access_key_id = AKIAI44QH8DHBEXAMPLE\naws_secret_access_key = y\n',
        { mode: 0o600 },
      );
      api.answers.push('pickLongTermKeys', (items) => items.find((i) => i.label === 'a'));
      api.answers.push('confirmRemoveKeys', 'Back Up and Remove');
      await vscode.commands.executeCommand('awsSsoProfiles.checkLongTermKeys');
      assert.equal(key('noLongTermKeys'), false, 'one key is left');

      api.answers.push('pickLongTermKeys', '*');
      api.answers.push('confirmRemoveKeys', 'Back Up and Remove');
      await vscode.commands.executeCommand('awsSsoProfiles.checkLongTermKeys');
      assert.equal(key('noLongTermKeys'), true, 'every key removed');
    } finally {
      cleanUp();
    }
  });
});
