// The sign-in flow case table: which flow each kind of window gets, and that the setting wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainSignInFlow, SignInFlow, SignInFlowContext } from '../../../src/core/flows';

const cases: Array<[string, SignInFlowContext, SignInFlow]> = [
  ['VS Code desktop, local folder', { setting: 'auto', uiKind: 'desktop' }, 'pkce'],
  ['Remote - SSH', { setting: 'auto', uiKind: 'desktop', remoteName: 'ssh-remote' }, 'device'],
  ['WSL', { setting: 'auto', uiKind: 'desktop', remoteName: 'wsl' }, 'device'],
  ['Dev container', { setting: 'auto', uiKind: 'desktop', remoteName: 'dev-container' }, 'device'],
  ['Attached container', { setting: 'auto', uiKind: 'desktop', remoteName: 'attached-container' }, 'device'],
  ['Codespaces in the desktop app', { setting: 'auto', uiKind: 'desktop', remoteName: 'codespaces' }, 'device'],
  ['Remote tunnel', { setting: 'auto', uiKind: 'desktop', remoteName: 'tunnel' }, 'device'],
  ['code-server in a browser', { setting: 'auto', uiKind: 'web' }, 'device'],
  ['Codespaces in a browser', { setting: 'auto', uiKind: 'web', remoteName: 'codespaces' }, 'device'],
  ['Setting deviceCode on local desktop', { setting: 'deviceCode', uiKind: 'desktop' }, 'device'],
  ['Setting authorizationCode over SSH', { setting: 'authorizationCode', uiKind: 'desktop', remoteName: 'ssh-remote' }, 'pkce'],
  ['Setting authorizationCode in a browser', { setting: 'authorizationCode', uiKind: 'web' }, 'pkce'],
];

for (const [name, ctx, want] of cases) {
  test(`${name} → ${want}`, () => {
    const why = explainSignInFlow(ctx);
    assert.equal(why.flow, want);
    assert.ok(why.reason.length > 10);
  });
}

test('an empty remoteName counts as local', () => {
  assert.equal(explainSignInFlow({ setting: 'auto', uiKind: 'desktop', remoteName: '' }).flow, 'pkce');
});

test('the reason names the remote kind, for the log', () => {
  assert.match(explainSignInFlow({ setting: 'auto', uiKind: 'desktop', remoteName: 'wsl' }).reason, /wsl/);
});
