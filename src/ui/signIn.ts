// Signing in from the editor: device code (modal with the code, then a cancellable progress
// notification while polling) or the browser with PKCE, chosen by where VS Code runs.
import * as vscode from 'vscode';
import type { DevicePrompt } from '../core/auth/deviceFlow';
import { explainSignInFlow, SignInFlow } from '../core/flows';
import { describeRemaining } from '../core/timeLeft';
import type { CachedToken } from '../core/types';
import type { App } from './app';
import type { UiSession } from './sessionsModel';
import { alreadyApprovedText, deviceCodeText, keepPathAndQuery } from './deviceCodeModel';
import { Cancellation } from './util/cancellation';
import { openExternalExact } from './util/openExternal';
import { formatTime } from './util/formatTime';

const t = vscode.l10n.t;

function signInFlowFor(app: App, forced?: SignInFlow): SignInFlow {
  if (forced) return forced;
  const choice = explainSignInFlow({
    setting: app.settings().signInFlow,
    remoteName: vscode.env.remoteName,
    uiKind: vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop',
  });
  app.log.info(`sign-in: ${choice.flow === 'device' ? 'device code' : 'browser with PKCE'}, because ${choice.reason}`);
  return choice.flow;
}

/** Signs in; resolves with the token, or undefined when the user cancelled. Rejects with SsoError. */
export async function signIn(app: App, session: UiSession, forced?: SignInFlow): Promise<CachedToken | undefined> {
  const flow = signInFlowFor(app, forced);
  const cancellation = new Cancellation();
  try {
    const token = flow === 'device' ? await deviceCode(app, session, cancellation) : await browser(app, session, cancellation);
    if (!token) return undefined;
    await app.store.reloadTokens();
    app.tree.refresh(session);
    void vscode.window.showInformationMessage(
      t('Signed in to "{0}". The session lasts {1}.', session.name, describeRemaining(token.expiresAt, Date.now())),
    );
    return token;
  } finally {
    cancellation.dispose();
  }
}

async function deviceCode(app: App, session: UiSession, cancellation: Cancellation): Promise<CachedToken | undefined> {
  let announce!: (p: DevicePrompt) => void;
  const prompted = new Promise<DevicePrompt>((resolve) => (announce = resolve));
  // Polling starts as soon as the code exists; the dialog below does not hold it up.
  const login = app.services.auth.loginWithDeviceCode(session, { signal: cancellation.signal, onPrompt: (p) => announce(p) });
  let settled = false;
  login.then(
    () => (settled = true),
    () => (settled = true), // observed below; this only keeps an early failure from going unhandled
  );
  const first = await Promise.race([prompted.then((prompt) => ({ prompt })), login.then((token) => ({ token }))]);
  if ('token' in first) return first.token;

  // Approved on another device while the dialog was open: no browser needed any more.
  const go = await presentDeviceCode(app, session, first.prompt, () => settled);
  if (!go) {
    if (!settled) cancellation.cancel();
    // Approved elsewhere before the dialog was dismissed: the sign-in stands.
    const token = await login.catch(() => undefined);
    if (!token) app.log.info(`sign-in to ${session.name}: cancelled at the device code`);
    return token;
  }
  return vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: t('Signing in to "{0}"', session.name),
      cancellable: true,
    },
    async (progress, token) => {
      cancellation.link(token);
      progress.report({ message: t('Waiting for you to confirm code {0} in the browser…', first.prompt.userCode) });
      try {
        return await login;
      } catch (e) {
        if (cancellation.cancelled) return undefined;
        throw e;
      }
    },
  );
}

/** The modal with the code; true when the user goes on ("Copy & Open Browser"). */
async function presentDeviceCode(app: App, session: UiSession, prompt: DevicePrompt, done: () => boolean): Promise<boolean> {
  if (app.hooks.deviceCode) return app.hooks.deviceCode(prompt);
  const copyAndOpen = t('Copy & Open Browser');
  const text = deviceCodeText(t, {
    sessionName: session.name,
    startUrl: session.startUrl,
    userCode: prompt.userCode,
    verificationUri: prompt.verificationUri,
    until: formatTime(prompt.expiresAt),
  });
  const choice = await app.prompter.message('deviceCode', 'info', text.message, { modal: true, detail: text.detail }, copyAndOpen);
  if (choice !== copyAndOpen) return false;
  if (done()) {
    app.log.info(`sign-in to ${session.name}: approved while the code was shown; nothing to open`);
    void vscode.window.showInformationMessage(alreadyApprovedText(t, session.name));
    return true;
  }
  await vscode.env.clipboard.writeText(prompt.userCode);
  // The core hands out only https pages (or http to this machine): deviceCodeLogin refuses any other.
  const target = prompt.verificationUriComplete ?? prompt.verificationUri;
  // asExternalUri keeps https URLs as they are, and maps a localhost URL (a local fake or proxy) for remote windows.
  const mapped = await vscode.env.asExternalUri(vscode.Uri.parse(target));
  const opened = await openExternalExact(keepPathAndQuery(target, mapped.toString(true)));
  if (!opened) {
    void vscode.window.showInformationMessage(t('Open {0} in a browser and enter the code {1}.', prompt.verificationUri, prompt.userCode));
  }
  return true;
}

async function browser(app: App, session: UiSession, cancellation: Cancellation): Promise<CachedToken | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: t('Signing in to "{0}"', session.name), cancellable: true },
    async (progress, token) => {
      cancellation.link(token);
      progress.report({ message: t('Finish signing in in your browser. It redirects to this machine (127.0.0.1) when done.') });
      try {
        return await app.services.auth.loginWithPkce(session, {
          signal: cancellation.signal,
          openBrowser: async (url) => {
            const opened = app.hooks.openExternal ? await app.hooks.openExternal(url) : await openExternalExact(url);
            if (!opened) throw new Error(t('The browser could not be opened.'));
          },
        });
      } catch (e) {
        if (cancellation.cancelled) return undefined;
        throw e;
      }
    },
  );
}
