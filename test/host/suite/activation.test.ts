// Activation is cheap: the status bar is computed from the token cache alone, and the AWS SDK
// is loaded only when something goes to the network. Runs first (file order) so no other suite
// has signed in yet.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import { EXTENSION_ID, inHarness, signIn, testApi } from './uiHelpers';

describe('activation', () => {
  let api: TestApi;

  before(async () => {
    api = await testApi();
  });

  it('activates on startup (the status bar must show without opening the view)', () => {
    const pkg = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { activationEvents: string[] };
    assert.ok(pkg.activationEvents.includes('onStartupFinished'));
  });

  it('computes the status bar from the token cache without loading the AWS SDK', async function () {
    if (!inHarness()) this.skip();
    await api.store.reload();
    api.status.update();
    assert.match(api.status.current.text, /^AWS SSO: /);
    assert.equal(api.sdkLoaded(), false, 'the SDK (its HTTP handler) was loaded during activation');
  });

  it('shows the status bar during activate(), from a quick read of the config and token files', function () {
    if (!inHarness()) this.skip();
    // The harness's config file has a session: the item shows whether or not it is signed in.
    const { activateStart, statusShown } = api.timings;
    assert.equal(typeof activateStart, 'number');
    assert.ok(statusShown !== undefined, 'the status bar was never shown');
    assert.ok(statusShown >= activateStart);
  });

  it('loads the SDK once the user signs in', async function () {
    if (!inHarness()) this.skip();
    this.timeout(30_000);
    await signIn(api);
    assert.equal(api.sdkLoaded(), true, 'the probe sees the SDK once it is used');
  });
});
