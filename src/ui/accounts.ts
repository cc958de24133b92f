// VS Code's Accounts menu: each signed-in session as an AuthenticationSession of the provider
// `awsSsoProfiles`. Sign-in and sign-out run the extension's own commands (the tree's path); other
// extensions get a session's access token through vscode.authentication.getSession, after VS Code's
// own consent prompt. Registered at activation, so it loads nothing: the commands load on use.
import * as vscode from 'vscode';
import { Command } from './commandIds';
import { AccountEntry, accountEntries, diffEntries, holdsScopes } from './accountsModel';
import type { Prompter } from './prompter';
import type { Services } from './services';
import type { SessionStore } from './sessionStore';
import { Disposable } from './util/disposable';

export const AUTH_PROVIDER_ID = 'awsSsoProfiles';

const t = vscode.l10n.t;

export class AccountsProvider extends Disposable implements vscode.AuthenticationProvider {
  private readonly _onDidChangeSessions = this._register(new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>());
  readonly onDidChangeSessions = this._onDidChangeSessions.event;
  private shown: AccountEntry[];

  constructor(
    private readonly store: SessionStore,
    private readonly services: Pick<Services, 'readToken'>,
    private readonly prompter: Pick<Prompter, 'quickPick'>,
  ) {
    super();
    this.shown = this.entries();
    // Sign-in and sign-out anywhere (the tree, a terminal's `aws sso login`/`logout`, another
    // window) reach the store through its token-cache watch.
    this._register(
      store.onDidChange(() => {
        const next = this.entries();
        const d = diffEntries(this.shown, next);
        this.shown = next;
        if (d.added.length + d.removed.length + d.changed.length === 0) return;
        // The event goes to the workbench: it carries who, never a token.
        const bare = (e: AccountEntry): vscode.AuthenticationSession => ({ id: e.name, accessToken: '', account: { id: e.name, label: e.name }, scopes: e.scopes });
        this._onDidChangeSessions.fire({ added: d.added.map(bare), removed: d.removed.map(bare), changed: d.changed.map(bare) });
      }),
    );
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const out: vscode.AuthenticationSession[] = [];
    for (const e of this.entries(scopes)) {
      const s = await this.session(e);
      if (s) out.push(s);
    }
    return out;
  }

  /** Signs in (the Sign In command's path) to a session holding the scopes; the user picks among several. */
  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    const fits = this.store.sessions.filter((s) => holdsScopes(s, scopes));
    if (fits.length === 0) throw new Error(t('No AWS SSO session registers the scopes {0}. Add one with AWS SSO: Add SSO Session.', scopes.join(', ')));
    const name =
      fits.length === 1
        ? fits[0].name
        : (await this.prompter.quickPick('accountsSession', fits.map((s) => ({ label: s.name, description: s.startUrl })), { placeHolder: t('Sign in to which AWS SSO session?') }))?.label;
    if (!name) throw new Error(t('Sign-in cancelled.'));
    const ok = await vscode.commands.executeCommand<boolean>(Command.signIn, name);
    await this.store.reloadTokens();
    const e = this.entries(scopes).find((x) => x.name === name);
    const s = ok && e ? await this.session(e) : undefined;
    if (!s) throw new Error(t('Could not sign in to "{0}".', name));
    return s;
  }

  /** Signs the session out: the same command as the tree's Sign Out. */
  async removeSession(sessionId: string): Promise<void> {
    await vscode.commands.executeCommand(Command.signOut, sessionId);
  }

  private entries(scopes?: readonly string[]): AccountEntry[] {
    const now = Date.now();
    return accountEntries(this.store.sessions, (name) => ({ phase: this.store.phase(name, now), expiresAt: this.store.token(name)?.expiresAt }), scopes);
  }

  /** The cached token, read as the AWS CLI reads it (no SDK); undefined when it is gone or expired. */
  private async session(e: AccountEntry): Promise<vscode.AuthenticationSession | undefined> {
    const s = this.store.find(e.name);
    const token = s ? await this.services.readToken(s).catch(() => undefined) : undefined;
    if (!token || token.expiresAt <= Date.now()) return undefined;
    return { id: e.name, accessToken: token.accessToken, account: { id: e.name, label: e.name }, scopes: e.scopes };
  }
}
