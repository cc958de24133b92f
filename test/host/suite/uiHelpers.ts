// Shared by the UI host suites: the extension's test API, sign-in through the real command, and
// waiting for things that happen on their own (file watchers, timers).
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import type { TestApi } from '../../../src/ui/testing';
import type { AccountNode, TreeNode } from '../../../src/ui/tree/nodes';

export const EXTENSION_ID = 'aws-sso-profiles.aws-sso-profiles';
export const SESSION = 'sandbox';

export async function testApi(): Promise<TestApi> {
  const ext = vscode.extensions.getExtension<TestApi | undefined>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  const api = await ext.activate();
  assert.ok(api, 'the extension returns its test API in ExtensionMode.Test');
  return api;
}

/** True inside the harness (fake Identity Center, temp HOME); suites skip otherwise. */
export function inHarness(): boolean {
  return !!process.env.AWS_SSO_FAKE_URL && !!process.env.AWS_CONFIG_FILE;
}

export function configText(): string {
  try {
    return readFileSync(process.env.AWS_CONFIG_FILE!, 'utf8');
  } catch {
    return '';
  }
}

export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, everyMs = 100): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Signs in through the command, with the device-code modal answered by the test hook. */
export async function signIn(api: TestApi, session = SESSION): Promise<void> {
  await api.store.reload();
  if (api.store.phase(session) === 'signedIn') return;
  const prompts: string[] = [];
  api.hooks.deviceCode = async (p) => {
    prompts.push(p.userCode);
    return true;
  };
  try {
    const ok = await vscode.commands.executeCommand<boolean>('awsSsoProfiles.signIn', { session, flow: 'device' });
    assert.equal(ok, true, 'sign-in succeeded');
    assert.equal(prompts.length, 1, 'the device code was presented once');
  } finally {
    api.hooks.deviceCode = undefined;
  }
  assert.equal(api.store.phase(session), 'signedIn');
}

/** Collects failures the commands showed, so a test can assert there were none. */
export function recordFailures(api: TestApi): { errors: unknown[]; dispose(): void } {
  const errors: unknown[] = [];
  api.hooks.onFailure = (e) => errors.push(e);
  return { errors, dispose: () => (api.hooks.onFailure = undefined) };
}

/**
 * A session's account nodes once its accounts are listed. With a Pinned or Recent group (another
 * suite's pins or recent roles), the session shows the groups at once and the accounts as their
 * pages arrive, so a look before the listing ends sees only some of them.
 */
export async function listedAccounts(api: TestApi, session: TreeNode): Promise<AccountNode[]> {
  if (session.kind !== 'session') throw new Error(`not a session node: ${session.kind}`);
  await api.tree.listing(session.session).loadAccounts();
  return (await api.tree.getChildren(session)).filter((n): n is AccountNode => n.kind === 'account');
}
