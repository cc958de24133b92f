// A hand-written SSO portal client double for unit tests: answers the SDK commands from an in-memory org on virtual time.
import type { Sleep, Clock } from '../../src/core/ports';
import { Throttle, ThrottleOption, createThrottle } from '../fakes/throttle';

export interface SimAccount {
  accountId: string;
  accountName: string;
  emailAddress?: string;
  roles: string[];
}

export type SimOp = 'ListAccountsCommand' | 'ListAccountRolesCommand' | 'GetRoleCredentialsCommand';

export interface SimOptions {
  accounts: SimAccount[];
  clock: Clock;
  sleep: Sleep;
  /** Server-side throttle (`{ rate, burst }`: a token bucket; see test/fakes/throttle.ts); excess requests get a 429 and consume nothing. */
  throttle?: ThrottleOption;
  /** One-way delay each way, ms; a function for jitter. */
  latencyMs?: number | (() => number);
  /** Access tokens the server accepts; default: any. */
  validTokens?: Set<string>;
  /** Page size the server uses for roles (accounts use the request's maxResults). */
  rolePageSize?: number;
  /** Called as a request reaches the server; an error returned is thrown instead of answering. */
  fault?: (op: SimOp, input: Record<string, unknown>) => unknown;
}

/** Builds an SDK-shaped service error. */
export function serviceError(status: number, name: string, message = name): Error {
  const e = new Error(message) as Error & { $metadata: { httpStatusCode: number }; $fault: string };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  e.$fault = status >= 500 ? 'server' : 'client';
  return e;
}

/** Builds what the SDK throws when a socket is reset. */
export function resetError(): Error {
  const e = new Error('socket hang up') as Error & { code: string; $metadata: object };
  e.name = 'TimeoutError';
  e.code = 'ECONNRESET';
  e.$metadata = {};
  return e;
}

export function makeOrg(n: number, rolesFor: (i: number) => number = (i) => 1 + (i % 5)): SimAccount[] {
  const names = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'Billing', 'SecurityAudit'];
  return Array.from({ length: n }, (_, i) => ({
    accountId: String(100000000000 + i * 7919).padStart(12, '0'),
    accountName: `acct-${i}`,
    emailAddress: `a${i}@example.com`,
    roles: names.slice(0, rolesFor(i)),
  }));
}

export class SimPortalClient {
  readonly stats = { requests: 0, throttled: 0, inFlight: 0, maxConcurrent: 0, byOp: {} as Record<string, number> };
  /** Virtual times at which requests reached the server, with their op. */
  readonly log: { at: number; op: SimOp; status: number; input: Record<string, unknown> }[] = [];
  private readonly throttle: Throttle | undefined;

  constructor(private readonly o: SimOptions) {
    if (o.throttle) this.throttle = createThrottle(o.throttle);
  }

  async send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> {
    const op = (command as { constructor: { name: string } }).constructor.name as SimOp;
    const input = (command as { input: Record<string, unknown> }).input;
    const signal = options?.abortSignal;
    this.stats.requests++;
    this.stats.byOp[op] = (this.stats.byOp[op] ?? 0) + 1;
    this.stats.inFlight++;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.stats.inFlight);
    try {
      await this.o.sleep(this.latency(), signal);
      const entry = { at: this.o.clock.now(), op, status: 200, input };
      this.log.push(entry);
      let result: unknown;
      let error: unknown;
      try {
        result = this.answer(op, input);
      } catch (e) {
        error = e;
        entry.status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      }
      await this.o.sleep(this.latency(), signal);
      if (error) throw error;
      return result;
    } finally {
      this.stats.inFlight--;
    }
  }

  private latency(): number {
    const l = this.o.latencyMs ?? 0;
    return typeof l === 'function' ? l() : l;
  }

  private take(): boolean {
    return this.throttle?.admit(this.o.clock.now()) ?? true;
  }

  private answer(op: SimOp, input: Record<string, unknown>): unknown {
    const injected = this.o.fault?.(op, input);
    if (injected) throw injected;
    if (!this.take()) {
      this.stats.throttled++;
      throw serviceError(429, 'TooManyRequestsException', 'Rate exceeded');
    }
    if (this.o.validTokens && !this.o.validTokens.has(String(input.accessToken))) {
      throw serviceError(401, 'UnauthorizedException', 'Session token not found or invalid');
    }
    const start = input.nextToken ? Number(input.nextToken) : 0;
    switch (op) {
      case 'ListAccountsCommand': {
        const max = Number(input.maxResults ?? 20);
        const items = this.o.accounts.slice(start, start + max);
        const end = start + items.length;
        return {
          accountList: items.map(({ accountId, accountName, emailAddress }) => ({ accountId, accountName, emailAddress })),
          nextToken: end < this.o.accounts.length ? String(end) : undefined,
        };
      }
      case 'ListAccountRolesCommand': {
        const acct = this.o.accounts.find((a) => a.accountId === input.accountId);
        if (!acct) throw serviceError(403, 'ForbiddenException', 'No access');
        const size = this.o.rolePageSize ?? 100;
        const items = acct.roles.slice(start, start + size);
        const end = start + items.length;
        return {
          roleList: items.map((roleName) => ({ roleName, accountId: acct.accountId })),
          nextToken: end < acct.roles.length ? String(end) : undefined,
        };
      }
      case 'GetRoleCredentialsCommand': {
        const acct = this.o.accounts.find((a) => a.accountId === input.accountId);
        if (!acct || !acct.roles.includes(String(input.roleName))) throw serviceError(403, 'ForbiddenException', 'No access');
        return {
          roleCredentials: {
            accessKeyId: 'ASIASIMULATED0000001',
            secretAccessKey: 'sim-secret-' + acct.accountId,
            sessionToken: 'sim-session-' + input.roleName,
            expiration: this.o.clock.now() + 3600_000,
          },
        };
      }
      default:
        throw new Error(`unexpected command ${String(op)}`);
    }
  }
}
