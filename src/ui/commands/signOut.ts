// AWS SSO: Sign Out and Sign Out of All Sessions — revoke the token and delete the cached token
// and role credentials of the session (not other sessions', unlike `aws sso logout`).
import * as vscode from 'vscode';
import type { App } from '../app';
import { keptFreshFor } from '../keptFresh';
import type { UiSession } from '../sessionsModel';
import { resolveSession } from './targets';

const t = vscode.l10n.t;

async function signOutOf(app: App, session: UiSession): Promise<void> {
  const roles = app.store.profiles
    .filter((p) => p.ssoSession === session.name && p.ssoAccountId && p.ssoRoleName)
    .map((p) => ({ accountId: p.ssoAccountId!, roleName: p.ssoRoleName! }));
  await app.services.auth.logout(session, { roles });
  app.services.listings.signedOut(session);
  // No live keys of a signed-out session stay in the credentials file.
  await keptFreshFor(app).signedOut(session.name);
}

export async function signOutCommand(app: App, arg?: unknown): Promise<boolean> {
  const session = await resolveSession(app, arg, {
    placeHolder: t('Sign out of which SSO session?'),
    filter: (s) => app.store.phase(s.name) !== 'signedOut',
  });
  if (!session) return false;
  await signOutOf(app, session);
  await app.store.reloadTokens();
  app.tree.refresh(session);
  void vscode.window.showInformationMessage(t('Signed out of "{0}".', session.name));
  return true;
}

export async function signOutAllCommand(app: App): Promise<number> {
  const sessions = app.store.sessions.filter((s) => app.store.phase(s.name) !== 'signedOut');
  for (const s of sessions) await signOutOf(app, s);
  await app.store.reloadTokens();
  app.tree.refresh();
  void vscode.window.showInformationMessage(
    sessions.length === 0 ? t('No session was signed in.') : sessions.length === 1 ? t('Signed out of "{0}".', sessions[0].name) : t('Signed out of {0} sessions.', sessions.length),
  );
  return sessions.length;
}
