// Smoke: the extension is installed in the editor, activates, and every command its manifest
// contributes is registered. Written against package.json, so it keeps checking as commands are added.
/// <reference types="mocha" />
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'aws-sso-profiles.aws-sso-profiles';

interface Manifest {
  publisher: string;
  name: string;
  main?: string;
  contributes?: {
    commands?: { command: string; title: string }[];
    viewsContainers?: Record<string, { id: string }[]>;
    views?: Record<string, { id: string }[]>;
  };
}

describe('smoke: extension in a real editor', () => {
  let ext: vscode.Extension<unknown>;

  before(() => {
    const found = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(found, `${EXTENSION_ID} is not loaded; extensions: ${vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.')).join(', ')}`);
    ext = found;
  });

  it('its id is <publisher>.<name> of package.json', () => {
    const pkg = ext.packageJSON as Manifest;
    assert.equal(`${pkg.publisher}.${pkg.name}`, EXTENSION_ID);
  });

  it('activates without throwing', async () => {
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('registers every command contributed in package.json', async () => {
    await ext.activate();
    const contributed = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs inside the test environment (temp HOME, fake Identity Center)', function () {
    // Set by scripts/hostTestSetup.mjs (both runners); skipped when someone runs the suite by hand.
    if (!process.env.AWS_SSO_FAKE_URL) this.skip();
    assert.ok(process.env.AWS_CONFIG_FILE?.startsWith(process.env.HOME ?? '\0'), 'AWS_CONFIG_FILE is inside the temp HOME');
    assert.match(process.env.AWS_ENDPOINT_URL_SSO ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(process.env.AWS_ENDPOINT_URL_SSO_OIDC ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('can reach the fake Identity Center from the extension host', async function () {
    const url = process.env.AWS_ENDPOINT_URL_SSO;
    if (!url) this.skip();
    // Any HTTP answer proves the extension host shares the machine's loopback with the fake.
    const r = await fetch(`${url}/device`);
    assert.ok(r.status < 500, `GET /device answered ${r.status}`);
  });
});
