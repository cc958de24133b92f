// The tree's node kinds, one class each. Nodes are plain data with a stable id; the provider
// turns them into TreeItems with the current state.
import { parseRoleArn } from '../../core/names';
import type { Account, Role } from '../../core/types';
import type { UiSession } from '../sessionsModel';

export class SessionNode {
  readonly kind = 'session';
  constructor(readonly session: UiSession) {}
  get id(): string {
    return `session/${this.session.name}`;
  }
}

/** The groups at the top of a session: pinned accounts and roles, and the roles used last. */
export type GroupKind = 'pinned' | 'recent';

export class GroupNode {
  readonly kind = 'group';
  constructor(
    readonly parent: SessionNode,
    readonly group: GroupKind,
  ) {}
  get session(): UiSession {
    return this.parent.session;
  }
  get id(): string {
    return `${this.parent.id}/#${this.group}`;
  }
}

export class AccountNode {
  readonly kind = 'account';
  constructor(
    /** The session, or its Pinned group (the same account then shows twice, with two ids). */
    readonly parent: SessionNode | GroupNode,
    readonly account: Account,
  ) {}
  get session(): UiSession {
    return this.parent.session;
  }
  /** The group it shows in, if any. */
  get group(): GroupKind | undefined {
    return this.parent instanceof GroupNode ? this.parent.group : undefined;
  }
  get id(): string {
    return `${this.parent.id}/${this.account.accountId}`;
  }
}

export class RoleNode {
  readonly kind = 'role';
  private readonly _account: Account | undefined;
  constructor(
    /** Its account, or the Recent group (then `account` says whose role it is). */
    readonly parent: AccountNode | GroupNode,
    readonly role: Role,
    account?: Account,
  ) {
    this._account = account;
  }
  get session(): UiSession {
    return this.parent.session;
  }
  get account(): Account {
    return this.parent instanceof AccountNode ? this.parent.account : this._account!;
  }
  /** The group it shows in (its own or its account's), if any. */
  get group(): GroupKind | undefined {
    return this.parent.group;
  }
  get id(): string {
    return this.parent instanceof AccountNode ? `${this.parent.id}/${this.role.roleName}` : `${this.parent.id}/${this.account.accountId}/${this.role.roleName}`;
  }
}

/**
 * A chained profile (`role_arn` + `source_profile`) that starts from the role above it. Its
 * `account` and `role` are the assumed role's, for the words of the commands that act on it.
 */
export class ChainedNode {
  readonly kind = 'chained';
  constructor(
    readonly parent: RoleNode,
    readonly profileName: string,
    readonly roleArn: string,
  ) {}
  get session(): UiSession {
    return this.parent.session;
  }
  get account(): Account {
    const arn = parseRoleArn(this.roleArn);
    const id = typeof arn === 'string' ? '' : arn.accountId;
    return { accountId: id, accountName: id };
  }
  get role(): Role {
    const arn = parseRoleArn(this.roleArn);
    return { accountId: this.account.accountId, roleName: typeof arn === 'string' ? this.roleArn : arn.roleName };
  }
  get id(): string {
    return `${this.parent.id}/chained/${this.profileName}`;
  }
}

export type MessageKind =
  /** A listing failed: the node offers Retry. */
  | 'retry'
  /** The session is not signed in: clicking signs in. */
  | 'signIn'
  /** The config file cannot be read: clicking opens it. */
  | 'configError'
  /** The config file reads in a way the user may not mean: clicking opens it. */
  | 'configWarning'
  /** Nothing to show (no accounts, no roles). */
  | 'empty';

export class MessageNode {
  readonly kind = 'message';
  constructor(
    readonly parent: SessionNode | AccountNode | undefined,
    readonly message: MessageKind,
    readonly label: string,
    readonly detail?: string,
  ) {}
  get id(): string {
    return `${this.parent?.id ?? 'root'}/#${this.message}`;
  }
  /** The session this message is about, if any. */
  get session(): UiSession | undefined {
    return this.parent?.session;
  }
}

export type TreeNode = SessionNode | GroupNode | AccountNode | RoleNode | ChainedNode | MessageNode;

export function isNode(x: unknown): x is TreeNode {
  return x instanceof SessionNode || x instanceof GroupNode || x instanceof AccountNode || x instanceof RoleNode || x instanceof ChainedNode || x instanceof MessageNode;
}
