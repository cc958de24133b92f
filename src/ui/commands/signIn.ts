// AWS SSO: Sign In — on a session node, a session name, `{session, flow}`, or a picked session.
import * as vscode from 'vscode';
import type { App } from '../app';
import { forcedFlowOf } from '../errorAdvice';
import { showFailure } from '../feedback';
import { signIn } from '../signIn';
import { resolveSession } from './targets';

const t = vscode.l10n.t;

export async function signInCommand(app: App, arg?: unknown): Promise<boolean> {
  const session = await resolveSession(app, arg, {
    placeHolder: t('Sign in to which SSO session?'),
    filter: (s) => app.store.phase(s.name) !== 'signedIn' || app.store.sessions.length === 1,
  });
  if (!session) return false;
  try {
    const token = await signIn(app, session, forcedFlowOf(arg));
    return token !== undefined;
  } catch (e) {
    app.hooks.onFailure?.(e);
    void showFailure(app, e, { activity: 'signIn', session, retry: () => signInCommand(app, session.name) });
    return false;
  }
}
