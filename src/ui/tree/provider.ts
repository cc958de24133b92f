// The Sessions view: sessions → accounts → roles, backed by one SessionListing per session.
import * as vscode from 'vscode';
import { isSsoError } from '../../core/errors';
import { describeRemaining } from '../../core/status';
import type { Account } from '../../core/types';
import { Command, SESSIONS_VIEW_ID } from '../commandIds';
import { contextValue } from '../contextKeys';
import type { Services } from '../services';
import type { SessionStore, StoreChange } from '../sessionStore';
import type { UiSession } from '../sessionsModel';
import { Disposable } from '../util/disposable';
import { AccountNode, MessageNode, RoleNode, SessionNode, TreeNode } from './nodes';
import { errorText, isSignInProblem, ListingEvent, ListingSource, SessionListing } from './sessionListing';

const t = vscode.l10n.t;
/** How long a fetched access token is reused by one listing before the cache is read again. */
const TOKEN_REUSE_MS = 30_000;
const PROGRESS_EVERY_MS = 250;
/** While accounts arrive page by page, the session's children are redrawn at most this often. */
const ACCOUNT_PAGES_EVERY_MS = 100;

export interface PrefetchProgress {
  session: string;
  done: number;
  total: number;
}

export class SessionsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidChangePrefetch = this._register(new vscode.EventEmitter<PrefetchProgress[]>());
  /** Background role listing, per session still running. */
  readonly onDidChangePrefetch = this._onDidChangePrefetch.event;

  private readonly listings = new Map<string, SessionListing>();
  private readonly sessionNodes = new Map<string, SessionNode>();
  private readonly accountNodes = new Map<string, AccountNode>();
  private readonly roleNodes = new Map<string, RoleNode>();
  /** Accounts whose children the tree asked for: only their role events need a redraw. */
  private readonly shownAccounts = new Set<string>();
  private readonly prefetch = new Map<string, PrefetchProgress>();
  private prefetchTimer: NodeJS.Timeout | undefined;
  /** Sessions whose listing the tree shows with its progress indicator (until the last page). */
  private readonly accountsProgress = new WeakSet<SessionListing>();
  /** Sessions shown with only some pages of accounts: redrawn as more arrive, and at the end. */
  private readonly partlyShown = new Set<string>();
  private readonly pageTimers = new Map<string, NodeJS.Timeout>();
  private readonly _onDidListAccounts = this._register(new vscode.EventEmitter<{ session: string } & ListingEvent>());
  /** Account listing progress per session: each page as it arrives ('accountsPage'), and the end ('accounts'). */
  readonly onDidListAccounts = this._onDidListAccounts.event;

  constructor(
    private readonly store: SessionStore,
    private readonly services: Services,
    private readonly log: vscode.LogOutputChannel,
    private readonly activeProfile: () => string | undefined,
  ) {
    super();
    this._register(store.onDidChange((c) => this.onStoreChange(c)));
    this._register({
      dispose: () => {
        this.dropAllListings();
        if (this.prefetchTimer) clearTimeout(this.prefetchTimer);
        for (const h of this.pageTimers.values()) clearTimeout(h);
        this.pageTimers.clear();
      },
    });
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    if (node instanceof SessionNode) return this.sessionChildren(node);
    if (node instanceof AccountNode) return this.accountChildren(node);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'session' ? undefined : node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'session':
        return this.sessionItem(node);
      case 'account':
        return this.accountItem(node);
      case 'role':
        return this.roleItem(node);
      case 'message':
        return this.messageItem(node);
    }
  }

  // ---- What other parts use -----------------------------------------------------------------

  /** The listing of a session (created on first use, from the listing cache when fresh). */
  listing(session: UiSession): SessionListing {
    let l = this.listings.get(session.name);
    if (!l) {
      const cached = this.services.listings.get(session);
      const created: SessionListing = new SessionListing(this.sourceFor(session), (e) => this.onListingEvent(session, e, created), cached);
      l = created;
      this.listings.set(session.name, l);
    }
    return l;
  }

  sessionNode(name: string): SessionNode | undefined {
    const s = this.store.find(name);
    return s ? this.sessionNodeFor(s) : undefined;
  }

  accountNode(session: UiSession, account: Account): AccountNode {
    const parent = this.sessionNodeFor(session);
    const id = `session/${session.name}/${account.accountId}`;
    let n = this.accountNodes.get(id);
    if (!n || n.parent !== parent || n.account.accountName !== account.accountName || n.account.emailAddress !== account.emailAddress) {
      n = new AccountNode(parent, account);
      this.accountNodes.set(id, n);
    }
    return n;
  }

  roleNode(account: AccountNode, roleName: string): RoleNode {
    const id = `${account.id}/${roleName}`;
    let n = this.roleNodes.get(id);
    if (!n || n.parent !== account) {
      n = new RoleNode(account, { accountId: account.account.accountId, roleName });
      this.roleNodes.set(id, n);
    }
    return n;
  }

  /** Forgets what was listed (all sessions, or one) and lists again on the next look. */
  refresh(session?: UiSession): void {
    const targets = session ? [session] : [...this.store.sessions];
    for (const s of targets) {
      this.services.listings.invalidate(s);
      this.dropListing(s.name);
    }
    this.redraw(session ? this.sessionNodeFor(session) : undefined);
  }

  /** Retries what a failure node stands for. */
  retry(node: MessageNode): void {
    const parent = node.parent;
    if (!parent) {
      void this.store.reload();
      return;
    }
    const listing = this.listing(parent.session);
    if (parent instanceof AccountNode) listing.resetFailure(parent.account.accountId);
    else listing.resetFailure();
    this.redraw(parent);
  }

  /** Starts listing a session's accounts and roles in the background, with progress in the view. */
  prefetchAll(session: UiSession): Promise<void> {
    const l = this.listing(session);
    if (l.complete) return Promise.resolve();
    return Promise.resolve(
      vscode.window.withProgress({ location: { viewId: SESSIONS_VIEW_ID } }, () => l.prefetchRoles()),
    );
  }

  redraw(node?: TreeNode): void {
    this._onDidChangeTreeData.fire(node);
  }

  // ---- Children ----------------------------------------------------------------------------

  private rootChildren(): TreeNode[] {
    const out: TreeNode[] = [];
    const err = this.store.configError;
    if (err) out.push(new MessageNode(undefined, 'configError', t('The AWS config file cannot be read'), err.message));
    for (const s of this.store.sessions) out.push(this.sessionNodeFor(s));
    return out;
  }

  private async sessionChildren(node: SessionNode): Promise<TreeNode[]> {
    const s = node.session;
    const phase = this.store.phase(s.name);
    const token = this.store.token(s.name);
    if (phase === 'signedOut' || (phase === 'expired' && !token?.refreshable)) {
      return [
        new MessageNode(
          node,
          'signIn',
          phase === 'expired' ? t('Session expired: sign in again') : t('Sign in to see your accounts and roles'),
        ),
      ];
    }
    const listing = this.listing(s);
    let accounts: readonly Account[];
    try {
      if (listing.accountsState.status === 'loaded') accounts = listing.accountsState.value;
      else {
        this.showAccountsProgress(listing);
        // The first page is shown as soon as it arrives; the rest follow as they come.
        accounts = await listing.loadFirstAccounts();
        if (!listing.listingAccounts) accounts = await listing.loadAccounts();
        else if (this.listings.get(s.name) === listing) this.partlyShown.add(s.name);
      }
    } catch (e) {
      this.log.warn(`listing accounts of ${s.name}: ${errorText(e)}`);
      if (isSignInProblem(e)) return [new MessageNode(node, 'signIn', t('Sign in again to see your accounts'), errorText(e))];
      return [new MessageNode(node, 'retry', t('Could not list accounts: {0}', errorText(e)), errorText(e))];
    }
    if (accounts.length === 0) return [new MessageNode(node, 'empty', t('No accounts are assigned to you in this session'))];
    if (!listing.complete) void this.prefetchAll(s);
    return accounts.map((a) => this.accountNode(s, a));
  }

  private async accountChildren(node: AccountNode): Promise<TreeNode[]> {
    this.shownAccounts.add(node.id);
    const listing = this.listing(node.session);
    try {
      const roles = await listing.loadRoles(node.account.accountId, true);
      if (roles.length === 0) return [new MessageNode(node, 'empty', t('No roles are assigned to you in this account'))];
      return roles.map((r) => this.roleNode(node, r.roleName));
    } catch (e) {
      this.log.warn(`listing roles of ${node.account.accountId} in ${node.session.name}: ${errorText(e)}`);
      if (isSignInProblem(e)) return [new MessageNode(node, 'signIn', t('Sign in again to see the roles'), errorText(e))];
      return [new MessageNode(node, 'retry', t('Could not list roles: {0}', errorText(e)), errorText(e))];
    }
  }

  /** The view's progress indicator while a listing's accounts load (once per load). */
  private showAccountsProgress(listing: SessionListing): void {
    if (this.accountsProgress.has(listing)) return;
    this.accountsProgress.add(listing);
    const loading = vscode.window.withProgress({ location: { viewId: SESSIONS_VIEW_ID } }, () => listing.loadAccounts());
    // Failures are shown by the node (getChildren); this only ends the indicator.
    void Promise.resolve(loading).then(
      () => this.accountsProgress.delete(listing),
      () => this.accountsProgress.delete(listing),
    );
  }

  // ---- Items -------------------------------------------------------------------------------

  private sessionItem(node: SessionNode): vscode.TreeItem {
    const s = node.session;
    const now = Date.now();
    const phase = this.store.phase(s.name, now);
    const token = this.store.token(s.name);
    const item = new vscode.TreeItem(s.name, this.store.sessions.length === 1 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const state =
      phase === 'signedIn' ? t('signed in') : phase === 'expired' ? (token?.refreshable ? t('expired, renews on next use') : t('expired')) : t('signed out');
    item.description = s.source === 'settings' ? t('{0} · from settings', state) : state;
    item.iconPath = new vscode.ThemeIcon(phase === 'signedIn' ? 'cloud' : phase === 'expired' ? 'warning' : 'cloud-download');
    item.contextValue = contextValue('awsSession', [phase, s.source === 'settings' ? 'fromSettings' : 'fromConfig']);
    const md = new vscode.MarkdownString(undefined, true);
    md.appendMarkdown(`**${escapeMd(s.name)}**\n\n`);
    md.appendMarkdown(`${t('Start URL')}: ${escapeMd(s.startUrl)}  \n${t('Region')}: ${escapeMd(s.region)}  \n`);
    if (phase === 'signedIn' && token?.expiresAt !== undefined) {
      const left = describeRemaining(token.expiresAt, now);
      md.appendMarkdown(`${token.refreshable ? t('Signed in, {0} left, renews automatically', left) : t('Signed in, {0} left', left)}  \n`);
    } else {
      md.appendMarkdown(`${state}  \n`);
    }
    md.appendMarkdown(s.source === 'settings' ? t('Defined in the awsSsoProfiles.sessions setting') : t('Defined in the AWS config file'));
    item.tooltip = md;
    item.accessibilityInformation = { label: t('SSO session {0}, {1}', s.name, state), role: 'treeitem' };
    return item;
  }

  private accountItem(node: AccountNode): vscode.TreeItem {
    const a = node.account;
    const item = new vscode.TreeItem(a.accountName, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = a.emailAddress ? `${a.accountId} · ${a.emailAddress}` : a.accountId;
    item.iconPath = new vscode.ThemeIcon('organization');
    item.contextValue = contextValue('awsAccount');
    item.tooltip = new vscode.MarkdownString(
      `**${escapeMd(a.accountName)}**\n\n${t('Account ID')}: ${a.accountId}${a.emailAddress ? `  \n${t('Email')}: ${escapeMd(a.emailAddress)}` : ''}`,
    );
    item.accessibilityInformation = {
      label: a.emailAddress
        ? t('Account {0}, ID {1}, email {2}', a.accountName, spaced(a.accountId), a.emailAddress)
        : t('Account {0}, ID {1}', a.accountName, spaced(a.accountId)),
      role: 'treeitem',
    };
    return item;
  }

  private roleItem(node: RoleNode): vscode.TreeItem {
    const profile = this.store.profileFor(node.session.name, node.account.accountId, node.role.roleName);
    const active = profile !== undefined && profile.name === this.activeProfile();
    const item = new vscode.TreeItem(node.role.roleName, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = profile ? (active ? t('{0} · in new terminals', profile.name) : profile.name) : undefined;
    item.iconPath = new vscode.ThemeIcon(active ? 'terminal' : profile ? 'key' : 'person');
    item.contextValue = contextValue('awsRole', [profile && 'hasProfile', active && 'activeProfile']);
    item.tooltip = new vscode.MarkdownString(
      `${t('**{0}** in {1} ({2})', escapeMd(node.role.roleName), escapeMd(node.account.accountName), node.account.accountId)}\n\n` +
        (profile ? t('Profile: {0}', escapeMd(profile.name)) : t('No profile yet: use Create Profile to add one.')),
    );
    item.accessibilityInformation = {
      label: !profile
        ? t('Role {0} in account {1}, no profile', node.role.roleName, node.account.accountName)
        : active
          ? t('Role {0} in account {1}, profile {2}, used in new terminals', node.role.roleName, node.account.accountName, profile.name)
          : t('Role {0} in account {1}, profile {2}', node.role.roleName, node.account.accountName, profile.name),
      role: 'treeitem',
    };
    return item;
  }

  private messageItem(node: MessageNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.tooltip = node.detail;
    switch (node.message) {
      case 'retry':
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = contextValue('awsRetry');
        item.command = { command: Command.retry, title: t('Retry'), arguments: [node] };
        break;
      case 'signIn':
        item.iconPath = new vscode.ThemeIcon('sign-in');
        item.contextValue = contextValue('awsMessage');
        item.command = { command: Command.signIn, title: t('Sign In'), arguments: [node.parent] };
        break;
      case 'configError':
        item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        item.contextValue = contextValue('awsRetry');
        item.command = { command: Command.openConfigFile, title: t('Open AWS Config File') };
        break;
      case 'empty':
        item.iconPath = new vscode.ThemeIcon('info');
        item.contextValue = contextValue('awsMessage');
        break;
    }
    item.accessibilityInformation = { label: node.detail ? `${node.label}. ${node.detail}` : node.label, role: 'treeitem' };
    return item;
  }

  // ---- Keeping up ----------------------------------------------------------------------------

  private sessionNodeFor(s: UiSession): SessionNode {
    let n = this.sessionNodes.get(s.name);
    if (!n || JSON.stringify(n.session) !== JSON.stringify(s)) {
      if (n) this.dropListing(s.name);
      n = new SessionNode(s);
      this.sessionNodes.set(s.name, n);
    }
    return n;
  }

  private onStoreChange(c: StoreChange): void {
    if (c.sessions) {
      const names = new Set(this.store.sessions.map((s) => s.name));
      for (const name of [...this.sessionNodes.keys()]) {
        if (!names.has(name)) {
          this.sessionNodes.delete(name);
          this.dropListing(name);
          const prefix = `session/${name}/`;
          for (const m of [this.accountNodes, this.roleNodes]) for (const id of [...m.keys()]) if (id.startsWith(prefix)) m.delete(id);
        }
      }
    }
    for (const name of c.phases) {
      const s = this.store.find(name);
      if (!s) continue;
      // Signed in or out elsewhere (a terminal, another window): what was listed is stale.
      if (this.store.phase(name) !== 'signedIn') this.services.listings.signedOut(s);
      this.dropListing(name);
    }
    // A new token (signed in again, here or in a terminal) deserves a fresh try at what failed.
    for (const name of c.tokens) this.listings.get(name)?.resetFailure('all');
    if (c.sessions || c.profiles) {
      this.redraw(undefined);
      return;
    }
    const changed = new Set([...c.phases, ...c.tokens]);
    const nodes = [...changed].map((n) => this.sessionNodes.get(n)).filter((n): n is SessionNode => !!n);
    if (nodes.length > 0) this._onDidChangeTreeData.fire(nodes);
  }

  private onListingEvent(session: UiSession, e: ListingEvent, listing: SessionListing): void {
    const current = this.listings.get(session.name) === listing;
    switch (e.kind) {
      case 'accountsPage':
        if (!current) break;
        this._onDidListAccounts.fire({ session: session.name, ...e });
        if (this.partlyShown.has(session.name)) this.redrawAccountsSoon(session);
        break;
      case 'accounts': {
        if (!current) break;
        this._onDidListAccounts.fire({ session: session.name, ...e });
        const h = this.pageTimers.get(session.name);
        if (h) clearTimeout(h);
        this.pageTimers.delete(session.name);
        // The complete, sorted list (or the failure) replaces the pages shown so far.
        if (this.partlyShown.delete(session.name)) this.redraw(this.sessionNodes.get(session.name));
        break;
      }
      case 'roles': {
        const id = `session/${session.name}/${e.accountId}`;
        const n = this.accountNodes.get(id);
        if (n && this.shownAccounts.has(id) && this.listing(session).rolesState(e.accountId).status === 'failed') this.redraw(n);
        break;
      }
      case 'prefetch': {
        if (e.done >= e.total) {
          this.prefetch.delete(session.name);
          const l = this.listings.get(session.name);
          if (l?.complete) this.services.listings.set(session, l.snapshot());
          this.firePrefetch(true);
        } else {
          this.prefetch.set(session.name, { session: session.name, done: e.done, total: e.total });
          this.firePrefetch(false);
        }
        break;
      }
      case 'signedOut':
        void this.store.reloadTokens();
        break;
    }
  }

  /** Redraws a session's accounts as pages arrive, at most every ACCOUNT_PAGES_EVERY_MS. */
  private redrawAccountsSoon(session: UiSession): void {
    if (this.pageTimers.has(session.name)) return;
    this.pageTimers.set(
      session.name,
      setTimeout(() => {
        this.pageTimers.delete(session.name);
        const node = this.sessionNodes.get(session.name);
        if (node && this.partlyShown.has(session.name)) this.redraw(node);
      }, ACCOUNT_PAGES_EVERY_MS),
    );
  }

  /** Progress of thousands of accounts, told a few times a second at most. */
  private firePrefetch(now: boolean): void {
    const fire = () => {
      this.prefetchTimer = undefined;
      this._onDidChangePrefetch.fire([...this.prefetch.values()]);
    };
    if (now) {
      if (this.prefetchTimer) clearTimeout(this.prefetchTimer);
      fire();
    } else {
      this.prefetchTimer ??= setTimeout(fire, PROGRESS_EVERY_MS);
    }
  }

  private sourceFor(session: UiSession): ListingSource {
    const services = this.services;
    let memo: { token: string; at: number } | undefined;
    return {
      async accessToken(signal) {
        const now = Date.now();
        if (memo && now - memo.at < TOKEN_REUSE_MS) return memo.token;
        const token = await services.auth.getAccessToken(session, { signal });
        memo = { token: token.accessToken, at: now };
        return token.accessToken;
      },
      listAccounts: (token, o) =>
        services.portal(session).listAccounts(token, {
          ...o,
          onSkipped: (id) => this.log.warn(`listing accounts of ${session.name}: skipped the account ID ${JSON.stringify(id)} (not 12 digits)`),
        }),
      listRoles: (token, accountId, o) =>
        services.portal(session).listRoles(token, accountId, o).catch((e: unknown) => {
          if (isSsoError(e, 'SessionEnded')) memo = undefined;
          throw e;
        }),
      get prefetchConcurrency() {
        return services.portal(session).rateLimiter.concurrency;
      },
    };
  }

  private dropListing(name: string): void {
    this.listings.get(name)?.dispose();
    this.listings.delete(name);
    this.partlyShown.delete(name);
    const h = this.pageTimers.get(name);
    if (h) clearTimeout(h);
    this.pageTimers.delete(name);
    if (this.prefetch.delete(name)) this.firePrefetch(true);
    for (const id of [...this.shownAccounts]) if (id.startsWith(`session/${name}/`)) this.shownAccounts.delete(id);
  }

  private dropAllListings(): void {
    for (const name of [...this.listings.keys()]) this.dropListing(name);
  }
}

/** Markdown special characters in names from the service or the config file, escaped. */
export function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (c) => `\\${c}`);
}

/** "1 2 3 …": screen readers then read an account ID digit by digit, not as a number. */
function spaced(id: string): string {
  return id.split('').join(' ');
}
