// The Sessions view: sessions → accounts → roles. The nodes' looks are in items.ts, the listings
// behind them in listings.ts; this is the list of children and what keeps the nodes current.
import { stillRenewable } from '../../core/auth/renewable';
import * as vscode from 'vscode';
import type { Listing } from '../../core/portal/portal';
import type { Timers } from '../../core/timers';
import type { Account } from '../../core/types';
import { SESSIONS_VIEW_ID } from '../commandIds';
import type { Pins } from '../pins';
import type { Services } from '../services';
import type { SessionStore, StoreChange } from '../sessionStore';
import type { UiSession } from '../sessionsModel';
import { Disposable } from '../util/disposable';
import { treeItem } from './items';
import { AccountsEvent, PrefetchProgress, TreeListings } from './listings';
import { AccountNode, ChainedNode, GroupKind, GroupNode, MessageNode, RoleNode, SessionNode, TreeNode } from './nodes';
import { errorText, isSignInProblem, SessionListing, sortAccounts } from './sessionListing';

const t = vscode.l10n.t;

export class SessionsTreeProvider extends Disposable implements vscode.TreeDataProvider<TreeNode> {
  private readonly _onDidChangeTreeData = this._register(new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>());
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  private readonly _onDidChangePrefetch = this._register(new vscode.EventEmitter<PrefetchProgress[]>());
  /** Background role listing, per session still running. */
  readonly onDidChangePrefetch = this._onDidChangePrefetch.event;
  private readonly _onDidListAccounts = this._register(new vscode.EventEmitter<AccountsEvent>());
  /** Account listing progress per session: each page as it arrives ('accountsPage'), and the end ('accounts'). */
  readonly onDidListAccounts = this._onDidListAccounts.event;
  private readonly _onDidListAll = this._register(new vscode.EventEmitter<{ session: UiSession; listing: Listing }>());
  /** A session's every account and role is known: listed now, or shown complete from the listing cache. */
  readonly onDidListAll = this._onDidListAll.event;

  private readonly listings: TreeListings;
  private readonly sessionNodes = new Map<string, SessionNode>();
  private readonly accountNodes = new Map<string, AccountNode>();
  private readonly roleNodes = new Map<string, RoleNode>();
  private readonly chainedNodes = new Map<string, ChainedNode>();
  private readonly groupNodes = new Map<string, GroupNode>();
  /** Accounts whose children the tree asked for: only their role events need a redraw. */
  private readonly shownAccounts = new Set<string>();
  /** Sessions whose listing the tree shows with its progress indicator (until the last page). */
  private readonly accountsProgress = new WeakSet<SessionListing>();
  /** Listings already told through onDidListAll (each once). */
  private readonly toldComplete = new WeakSet<SessionListing>();

  constructor(
    private readonly store: SessionStore,
    private readonly services: Services,
    private readonly log: vscode.LogOutputChannel,
    private readonly activeProfile: () => string | undefined,
    /** The extension's timers (page and progress throttles); default real ones. */
    timers?: Timers,
    /** Pinned accounts and roles, recent roles: the groups at the top of each session. */
    private readonly pins?: Pins,
  ) {
    super();
    this.listings = new TreeListings(services, {
      redrawSession: (name) => {
        const node = this.sessionNodes.get(name);
        if (node) this.redraw(node);
      },
      rolesSettled: (session, accountId) => {
        const id = `session/${session}/${accountId}`;
        const n = this.accountNodes.get(id);
        if (n && this.shownAccounts.has(id) && this.listings.peek(session)?.rolesState(accountId).status === 'failed') this.redraw(n);
      },
      accountsProgress: (e) => this._onDidListAccounts.fire(e),
      prefetchProgress: (all) => this._onDidChangePrefetch.fire(all),
      listedAll: (session, listing) => {
        const l = this.listings.peek(session.name);
        if (l) this.toldComplete.add(l);
        this._onDidListAll.fire({ session, listing });
      },
      signedOut: () => void this.store.reloadTokens(),
      warn: (msg) => this.log.warn(msg),
    }, { timers });
    this._register(store.onDidChange((c) => this.onStoreChange(c)));
    this._register(this.listings);
    if (pins) this._register(pins.onDidChange(() => this.redraw(undefined)));
  }

  // ---- TreeDataProvider --------------------------------------------------------------------

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.rootChildren();
    if (node instanceof SessionNode) return this.sessionChildren(node);
    if (node instanceof GroupNode) return this.groupChildren(node);
    if (node instanceof AccountNode) return this.accountChildren(node);
    if (node instanceof RoleNode) return this.roleChildren(node);
    return [];
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.kind === 'session' ? undefined : node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return treeItem(node, { store: this.store, activeProfile: this.activeProfile, pins: this.pins });
  }

  // ---- What other parts use -----------------------------------------------------------------

  /** The listing of a session (created on first use, from the listing cache when fresh). */
  listing(session: UiSession): SessionListing {
    return this.listings.get(session);
  }

  sessionNode(name: string): SessionNode | undefined {
    const s = this.store.find(name);
    return s ? this.sessionNodeFor(s) : undefined;
  }

  accountNode(session: UiSession, account: Account, group?: GroupNode): AccountNode {
    const parent = group ?? this.sessionNodeFor(session);
    const id = `${parent.id}/${account.accountId}`;
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

  /** The node of a chained profile under its role (the same object while the profile is unchanged). */
  chainedNode(role: RoleNode, profileName: string, roleArn: string): ChainedNode {
    const id = `${role.id}/chained/${profileName}`;
    let n = this.chainedNodes.get(id);
    if (!n || n.parent !== role || n.roleArn !== roleArn) {
      n = new ChainedNode(role, profileName, roleArn);
      this.chainedNodes.set(id, n);
    }
    return n;
  }

  /** A role in the Recent group, which names its account itself. */
  private recentRoleNode(group: GroupNode, account: Account, roleName: string): RoleNode {
    const id = `${group.id}/${account.accountId}/${roleName}`;
    let n = this.roleNodes.get(id);
    if (!n || n.parent !== group || n.account.accountName !== account.accountName) {
      n = new RoleNode(group, { accountId: account.accountId, roleName }, account);
      this.roleNodes.set(id, n);
    }
    return n;
  }

  private groupNode(parent: SessionNode, group: GroupKind): GroupNode {
    const id = `${parent.id}/#${group}`;
    let n = this.groupNodes.get(id);
    if (!n || n.parent !== parent) {
      n = new GroupNode(parent, group);
      this.groupNodes.set(id, n);
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
    const warnings = this.store.configWarnings;
    if (warnings.length > 0) {
      out.push(new MessageNode(undefined, 'configWarning', t('The AWS config file defines a name twice'), warnings.join('\n')));
    }
    for (const s of this.store.sessions) out.push(this.sessionNodeFor(s));
    return out;
  }

  private async sessionChildren(node: SessionNode): Promise<TreeNode[]> {
    const s = node.session;
    const now = Date.now();
    const phase = this.store.phase(s.name, now);
    const token = this.store.token(s.name);
    if (phase === 'signedOut' || (phase === 'expired' && !stillRenewable(token?.refreshableUntil, now))) {
      return [
        new MessageNode(
          node,
          'signIn',
          phase === 'expired' ? t('Session expired: sign in again') : t('Sign in to see your accounts and roles'),
        ),
      ];
    }
    // Pinned and Recent come from what was remembered: drawn before (and without) any listing.
    const groups: TreeNode[] = [];
    if (this.pins && this.pins.pins(s).length > 0) groups.push(this.groupNode(node, 'pinned'));
    if (this.pins && this.pins.recent(s).length > 0) groups.push(this.groupNode(node, 'recent'));
    const listing = this.listing(s);
    let accounts: readonly Account[];
    try {
      if (listing.accountsState.status === 'loaded') accounts = listing.accountsState.value;
      else if (groups.length > 0 && listing.accountsState.status !== 'failed') {
        // The groups now, the accounts as their pages arrive (each redraws the session).
        this.showAccountsProgress(listing);
        listing.loadFirstAccounts().catch(() => undefined);
        if (listing.listingAccounts) {
          this.listings.shownInPart(s.name, listing);
          accounts = listing.accountsSoFar();
        } else {
          accounts = await listing.loadAccounts();
        }
      } else {
        this.showAccountsProgress(listing);
        // The first page is shown as soon as it arrives; the rest follow as they come.
        accounts = await listing.loadFirstAccounts();
        if (!listing.listingAccounts) accounts = await listing.loadAccounts();
        else this.listings.shownInPart(s.name, listing);
      }
    } catch (e) {
      this.log.warn(`listing accounts of ${s.name}: ${errorText(e)}`);
      if (isSignInProblem(e)) return [...groups, new MessageNode(node, 'signIn', t('Sign in again to see your accounts'), errorText(e))];
      return [...groups, new MessageNode(node, 'retry', t('Could not list accounts: {0}', errorText(e)), errorText(e))];
    }
    if (accounts.length === 0 && !listing.listingAccounts) return [...groups, new MessageNode(node, 'empty', t('No accounts are assigned to you in this session'))];
    if (!listing.complete) void this.prefetchAll(s);
    else if (!this.toldComplete.has(listing)) {
      // From the listing cache: no prefetch will end to tell it.
      this.toldComplete.add(listing);
      this._onDidListAll.fire({ session: s, listing: listing.snapshot() });
    }
    return [...groups, ...accounts.map((a) => this.accountNode(s, a))];
  }

  private groupChildren(node: GroupNode): TreeNode[] {
    const s = node.session;
    if (!this.pins) return [];
    const listing = this.listings.peek(s.name);
    // The name as listed now when known, else as remembered with the pin.
    const named = (accountId: string, remembered: string): Account => listing?.account(accountId) ?? { accountId, accountName: remembered };
    if (node.group === 'recent') return this.pins.recent(s).map((r) => this.recentRoleNode(node, named(r.accountId, r.accountName), r.roleName));
    const accounts = sortAccounts(this.pins.pinnedAccounts(s).map((p) => named(p.accountId, p.accountName)));
    return accounts.map((a) => this.accountNode(s, a, node));
  }

  private async accountChildren(node: AccountNode): Promise<TreeNode[]> {
    if (node.group === 'pinned' && this.pins && !this.pins.isPinned(node.session, node.account.accountId)) {
      // Only some roles pinned: they are the children, with no listing.
      const pinned = this.pins.pinnedAccounts(node.session).find((p) => p.accountId === node.account.accountId);
      return (pinned?.roles ?? []).map((r) => this.roleNode(node, r));
    }
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

  private roleChildren(node: RoleNode): TreeNode[] {
    return this.store
      .chainedFor(node.session.name, node.account.accountId, node.role.roleName)
      .map((p) => this.chainedNode(node, p.name, p.roleArn!));
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
          for (const m of [this.accountNodes, this.roleNodes, this.chainedNodes, this.groupNodes]) for (const id of [...m.keys()]) if (id.startsWith(prefix)) m.delete(id);
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
    for (const name of c.tokens) this.listings.peek(name)?.resetFailure('all');
    if (c.sessions || c.profiles) {
      this.redraw(undefined);
      return;
    }
    const changed = new Set([...c.phases, ...c.tokens]);
    const nodes = [...changed].map((n) => this.sessionNodes.get(n)).filter((n): n is SessionNode => !!n);
    if (nodes.length > 0) this._onDidChangeTreeData.fire(nodes);
  }

  private dropListing(name: string): void {
    this.listings.drop(name);
    for (const id of [...this.shownAccounts]) if (id.startsWith(`session/${name}/`)) this.shownAccounts.delete(id);
  }
}
