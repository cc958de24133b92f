// Picks the sign-in flow (device code or PKCE with a loopback redirect) for where the editor runs.
//
// PKCE redirects the user's browser to http://127.0.0.1:<port> on the machine that runs the
// extension host. That only works when the browser and the extension host share a machine: a
// desktop window on a local folder. Remote SSH, WSL, dev containers, Codespaces and tunnels run
// the extension host elsewhere (VS Code may forward the port, but not reliably to the same
// port number the redirect URI names), and a browser-based UI (code-server, vscode.dev) cannot be
// assumed to run next to its server. The device code flow works everywhere, so it is the
// fallback. Modelled on the case table of microsoft/vscode's github-authentication `flows.ts`.

export type SignInFlow = 'device' | 'pkce';

export interface SignInFlowContext {
  /** The user's setting; anything but 'auto' wins. */
  setting: 'auto' | 'deviceCode' | 'authorizationCode';
  /** `vscode.env.remoteName`: 'ssh-remote', 'wsl', 'dev-container', 'codespaces', 'tunnel', …; undefined when local. */
  remoteName?: string;
  /** `vscode.env.uiKind`. */
  uiKind: 'desktop' | 'web';
}

export interface SignInFlowChoice {
  flow: SignInFlow;
  /** Why, in words for the log. */
  reason: string;
}

/** The flow and the reason for it, for a log line. */
export function explainSignInFlow(ctx: SignInFlowContext): SignInFlowChoice {
  if (ctx.setting === 'deviceCode') return { flow: 'device', reason: 'the sign-in flow setting asks for the device code flow' };
  if (ctx.setting === 'authorizationCode') {
    return { flow: 'pkce', reason: 'the sign-in flow setting asks for the authorization code (PKCE) flow' };
  }
  if (ctx.uiKind === 'web') {
    // Even with a local server (code-server on localhost) the browser may be elsewhere; the
    // device code flow cannot fail for that reason.
    return { flow: 'device', reason: 'the editor runs in a web browser, which may not reach the extension host' };
  }
  if (ctx.remoteName) {
    return { flow: 'device', reason: `the window is remote (${ctx.remoteName}), so a loopback redirect cannot reach the extension host` };
  }
  return { flow: 'pkce', reason: 'VS Code desktop with a local extension host can receive the loopback redirect' };
}
