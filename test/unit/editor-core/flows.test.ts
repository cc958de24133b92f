// The sign-in flow case table: which flow each kind of window gets, and that the setting wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { chooseSignInFlow, explainSignInFlow, SignInFlow, SignInFlowContext } from '../../../src/core/flows';

const cases: Array<[string, SignInFlowContext, SignInFlow]> = [
  ['VS Code desktop, local folder', { setting: 'auto', uiKind: 'desktop' }, 'pkce'],
  ['VS Code desktop, local folder, host known local', { setting: 'auto', uiKind: 'desktop', extensionHostIsLocal: true }, 'pkce'],
  ['Remote - SSH', { setting: 'auto', uiKind: 'desktop', remoteName: 'ssh-remote' }, 'device'],
  ['WSL', { setting: 'auto', uiKind: 'desktop', remoteName: 'wsl' }, 'device'],
  ['Dev container', { setting: 'auto', uiKind: 'desktop', remoteName: 'dev-container' }, 'device'],
  ['Attached container', { setting: 'auto', uiKind: 'desktop', remoteName: 'attached-container' }, 'device'],
  ['Codespaces in the desktop app', { setting: 'auto', uiKind: 'desktop', remoteName: 'codespaces' }, 'device'],
  ['Remote tunnel', { setting: 'auto', uiKind: 'desktop', remoteName: 'tunnel' }, 'device'],
  ['Remote window, extension running on the UI side', { setting: 'auto', uiKind: 'desktop', remoteName: 'ssh-remote', extensionHostIsLocal: true }, 'pkce'],
  ['Desktop, host known remote without a remoteName', { setting: 'auto', uiKind: 'desktop', extensionHostIsLocal: false }, 'device'],
  ['code-server in a browser', { setting: 'auto', uiKind: 'web' }, 'device'],
  ['code-server in a browser, host claims local', { setting: 'auto', uiKind: 'web', extensionHostIsLocal: true }, 'device'],
  ['Codespaces in a browser', { setting: 'auto', uiKind: 'web', remoteName: 'codespaces' }, 'device'],
  ['Setting deviceCode on local desktop', { setting: 'deviceCode', uiKind: 'desktop' }, 'device'],
  ['Setting authorizationCode over SSH', { setting: 'authorizationCode', uiKind: 'desktop', remoteName: 'ssh-remote' }, 'pkce'],
  ['Setting authorizationCode in a browser', { setting: 'authorizationCode', uiKind: 'web', extensionHostIsLocal: false }, 'pkce'],
  ['Setting deviceCode, host local', { setting: 'deviceCode', uiKind: 'desktop', extensionHostIsLocal: true }, 'device'],
];

for (const [name, ctx, want] of cases) {
  test(`${name} → ${want}`, () => {
    assert.equal(chooseSignInFlow(ctx), want);
    const why = explainSignInFlow(ctx);
    assert.equal(why.flow, want);
    assert.ok(why.reason.length > 10);
  });
}

test('an empty remoteName counts as local', () => {
  assert.equal(chooseSignInFlow({ setting: 'auto', uiKind: 'desktop', remoteName: '' }), 'pkce');
});

test('the reason names the remote kind, for the log', () => {
  assert.match(explainSignInFlow({ setting: 'auto', uiKind: 'desktop', remoteName: 'wsl' }).reason, /wsl/);
});
