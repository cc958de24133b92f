// A fake AWS IAM Identity Center (SSO OIDC + SSO portal) on 127.0.0.1 speaking the real rest-json wire protocol,
// and the STS AssumeRole / GetCallerIdentity that chained profiles need (the real Query protocol, XML answers).
//
// The real @aws-sdk/client-sso-oidc, @aws-sdk/client-sso and @aws-sdk/client-sts clients work against it when
// pointed at it with AWS_ENDPOINT_URL_SSO_OIDC / AWS_ENDPOINT_URL_SSO / AWS_ENDPOINT_URL_STS (see `env()`).
// One instance serves all three APIs.
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeAccount, generateOrg } from './org';
import { Throttle, ThrottleOption, createThrottle } from './throttle';

export type { FakeAccount } from './org';
export type { ThrottleModel, ThrottleOption } from './throttle';

export type FaultOp = 'register' | 'device' | 'token' | 'authorize' | 'accounts' | 'roles' | 'credentials' | 'logout' | 'federation' | 'sts';
/** Every op the request log and stats know about; the last three are not API operations. */
export type FakeOp = FaultOp | 'device-page' | 'authorize-decide' | 'unknown';

export interface FakeOptions {
  /** A count (generated from `seed`) or explicit accounts. Default: 3 generated accounts. */
  accounts?: number | FakeAccount[];
  /** Seed of the organisation generator. Default 1. */
  seed?: number;
  /** Device codes and /authorize requests are approved as soon as they exist. Default false. */
  autoApprove?: boolean;
  /** `interval` returned by StartDeviceAuthorization, seconds. Default 5. */
  deviceInterval?: number;
  /** Device code lifetime, seconds. Default 600. */
  deviceExpiresIn?: number;
  /** Access token lifetime, seconds. Default 28800 (8 h). */
  accessTokenTtl?: number;
  /** Client registration lifetime, seconds. Default 90 days. */
  registrationTtl?: number;
  /** Role credentials lifetime, seconds. Default 3600. */
  roleCredentialsTtl?: number;
  /** Answer SlowDownException when a device code is polled sooner than `interval` after the last poll. Default false. */
  enforceInterval?: boolean;
  /**
   * Throttle over portal calls (accounts, roles, credentials, logout); excess gets 429. Uses real time.
   * `{ rate, burst }` is a token bucket; see throttle.ts for the other models (windows, a halving rate).
   */
  throttle?: ThrottleOption;
  /** Added to every request, real time. */
  latencyMs?: number;
  /** Clock for every expiry (epoch ms). Default Date.now. */
  now?: () => number;
  /** Port to listen on. Default 0 (ephemeral). */
  port?: number;
  /**
   * `GET /federation` (the console sign-in endpoint) accepts any well-formed session, not only
   * role credentials this fake issued. Default false.
   */
  federationAcceptAny?: boolean;
  /** Roles STS AssumeRole may assume (see addAssumableRole); any other ARN is AccessDenied. */
  assumableRoles?: AssumableRole[];
}

/** A role the fake STS lets callers assume: its trust policy, reduced to who and which external ID. */
export interface AssumableRole {
  arn: string;
  /**
   * Who may assume it: `{ accountId, roleName }` of an SSO role (whose credentials GetRoleCredentials
   * issued) or the ARN of another assumable role (chained further); `'*'` trusts every caller.
   */
  trusts: Array<{ accountId: string; roleName: string } | string>;
  /** The `sts:ExternalId` condition: AssumeRole must send exactly this. */
  externalId?: string;
}

export interface Fault {
  op: FaultOp;
  /** Status to answer with. Default 500 unless only `delayMs` is given, which delays then serves normally. */
  status?: number;
  /** `x-amzn-errortype`; defaults from the status (429 → TooManyRequestsException, …). */
  errorType?: string;
  /** Raw response body (e.g. truncated JSON); the response is then sent with status `status ?? 200`. */
  body?: string;
  /** Destroy the socket instead of answering. */
  reset?: boolean;
  /** Wait this long (real time) before acting. */
  delayMs?: number;
  /** How many matching requests this fault hits. Default 1. */
  times?: number;
}

export interface RequestLogEntry {
  op: FakeOp;
  method: string;
  path: string;
  /** `now()` when the request arrived. */
  time: number;
  /** 0 when the socket was reset or the request never completed. */
  status: number;
}

export interface FakeStats {
  requests: Partial<Record<FakeOp, number>>;
  throttled: number;
  inFlight: number;
  maxConcurrent: number;
}

export interface MintedToken {
  accessToken: string;
  refreshToken?: string;
  clientId: string;
  clientSecret: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Epoch ms. */
  registrationExpiresAt: number;
}

export const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';

interface ClientReg {
  clientId: string;
  clientSecret: string;
  clientName: string;
  scopes: string[];
  grantTypes: string[];
  redirectUris: string[];
  expiresAt: number;
}

interface DeviceAuth {
  deviceCode: string;
  userCode: string;
  clientId: string;
  startUrl: string;
  expiresAt: number;
  state: 'pending' | 'approved' | 'denied' | 'consumed';
  lastPollAt?: number;
  /** Current polling interval in ms: RFC 8628 §3.5 adds 5 s after every slow_down. */
  intervalMs: number;
}

interface AuthCode {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

interface AccessTok {
  clientId: string;
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

interface RefreshTok {
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

interface HeldAuthorize {
  res: http.ServerResponse;
  clientId: string;
  redirectUri: string;
  state: string | null;
  codeChallenge: string;
  scopes: string[];
  entry: RequestLogEntry;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly errorType: string,
    readonly oauthError: string,
    message: string,
  ) {
    super(message);
  }
}

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/** A short-term key: who it stands for (an SSO role, or the ARN of an assumed role) and its session's ARN. */
interface IssuedKey {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: number;
  principal: { accountId: string; roleName: string } | string;
  arn: string;
}

function randomUUIDish(): string {
  return randomBytes(16).toString('hex');
}

const OIDC_OPS: ReadonlySet<FakeOp> = new Set(['register', 'device', 'token']);
const PORTAL_OPS: ReadonlySet<FakeOp> = new Set(['accounts', 'roles', 'credentials', 'logout']);

const ERROR_TYPE_BY_STATUS: Record<number, string> = {
  400: 'InvalidRequestException',
  401: 'UnauthorizedException',
  403: 'ForbiddenException',
  404: 'ResourceNotFoundException',
  429: 'TooManyRequestsException',
  500: 'InternalServerException',
  503: 'ServiceUnavailableException',
};

const OAUTH_ERROR_BY_TYPE: Record<string, string> = {
  AuthorizationPendingException: 'authorization_pending',
  SlowDownException: 'slow_down',
  ExpiredTokenException: 'expired_token',
  AccessDeniedException: 'access_denied',
  InvalidGrantException: 'invalid_grant',
  InvalidClientException: 'invalid_client',
  InvalidRequestException: 'invalid_request',
  InvalidScopeException: 'invalid_scope',
  UnsupportedGrantTypeException: 'unsupported_grant_type',
  UnauthorizedClientException: 'unauthorized_client',
  InvalidClientMetadataException: 'invalid_client_metadata',
  InvalidRedirectUriException: 'invalid_redirect_uri',
  InternalServerException: 'server_error',
};

// Letters only, without the look-alikes, as the real user codes.
const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';

function rand(prefix: string, bytes: number, encoding: 'base64url' | 'base64' = 'base64url'): string {
  return prefix + randomBytes(bytes).toString(encoding);
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function page(title: string, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>` +
    `<body style="font-family:sans-serif;margin:2em"><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

export class FakeIdentityCenter {
  readonly accounts: FakeAccount[];
  readonly stats: FakeStats = { requests: {}, throttled: 0, inFlight: 0, maxConcurrent: 0 };
  readonly requests: RequestLogEntry[] = [];

  private server!: http.Server;
  private port = 0;
  private closed = false;
  private readonly now: () => number;
  private readonly opts: FakeOptions;
  private readonly clients = new Map<string, ClientReg>();
  private readonly devices = new Map<string, DeviceAuth>();
  private readonly userCodes = new Map<string, DeviceAuth>();
  private readonly authCodes = new Map<string, AuthCode>();
  private readonly accessTokens = new Map<string, AccessTok>();
  private readonly refreshTokens = new Map<string, RefreshTok>();
  private readonly held: HeldAuthorize[] = [];
  private heldWaiters: Array<() => void> = [];
  private readonly faults: Fault[] = [];
  private readonly failingAccounts = new Map<string, number>();
  private readonly secrets: string[] = [];
  private readonly signinTokens = new Set<string>();
  /** Short-term keys this fake issued (GetRoleCredentials, AssumeRole), by access key id. */
  private readonly issuedKeys = new Map<string, IssuedKey>();
  private readonly assumable = new Map<string, AssumableRole>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private slowDowns = 0;
  private readonly throttle: Throttle | undefined;

  private constructor(opts: FakeOptions) {
    this.opts = opts;
    this.now = opts.now ?? Date.now;
    const a = opts.accounts ?? 3;
    this.accounts = typeof a === 'number' ? generateOrg(a, opts.seed ?? 1) : a.map((x) => ({ ...x, roles: [...x.roles] }));
    if (opts.throttle) this.throttle = createThrottle(opts.throttle);
    for (const r of opts.assumableRoles ?? []) this.addAssumableRole(r);
  }

  static async start(opts: FakeOptions = {}): Promise<FakeIdentityCenter> {
    const fake = new FakeIdentityCenter(opts);
    fake.server = http.createServer((req, res) => void fake.handle(req, res));
    // The SDK keeps sockets alive; a server closing idle ones after Node's 5 s default races with reuse
    // and surfaces as a random ECONNRESET in slow tests. close() destroys every socket anyway.
    fake.server.keepAliveTimeout = 120_000;
    fake.server.headersTimeout = 125_000;
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** The endpoint variables that point the SDK clients (and the AWS CLI) at this fake. */
  env(): { AWS_ENDPOINT_URL_SSO: string; AWS_ENDPOINT_URL_SSO_OIDC: string; AWS_ENDPOINT_URL_STS: string } {
    return { AWS_ENDPOINT_URL_SSO: this.url, AWS_ENDPOINT_URL_SSO_OIDC: this.url, AWS_ENDPOINT_URL_STS: this.url };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.held.length = 0;
    const done = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await done;
  }

  // ---- controls -------------------------------------------------------------------------------

  approve(userCode: string): boolean {
    return this.decide(userCode, 'approved');
  }

  deny(userCode: string): boolean {
    return this.decide(userCode, 'denied');
  }

  pendingUserCodes(): string[] {
    const now = this.now();
    return [...this.devices.values()].filter((d) => d.state === 'pending' && now < d.expiresAt).map((d) => d.userCode);
  }

  /** The next `n` device-code polls answer SlowDownException. */
  slowDown(n = 1): void {
    this.slowDowns += n;
  }

  expireDeviceCodes(): void {
    const now = this.now();
    for (const d of this.devices.values()) d.expiresAt = Math.min(d.expiresAt, now);
  }

  /** Number of /authorize requests waiting for approveAuthorization()/denyAuthorization(). */
  pendingAuthorizations(): number {
    this.held.splice(0, this.held.length, ...this.held.filter((h) => !h.res.destroyed));
    return this.held.length;
  }

  /** Settles once an /authorize request is held (at once if one already is): an event to await instead of polling. */
  authorizationHeld(): Promise<void> {
    if (this.pendingAuthorizations() > 0) return Promise.resolve();
    return new Promise((resolve) => this.heldWaiters.push(resolve));
  }

  /** Answers every held /authorize with a redirect carrying a code; returns how many. */
  approveAuthorization(): number {
    return this.releaseHeld(true);
  }

  /** Answers every held /authorize with `error=access_denied`; returns how many. */
  denyAuthorization(): number {
    return this.releaseHeld(false);
  }

  revokeRefreshTokens(): void {
    for (const r of this.refreshTokens.values()) r.revoked = true;
  }

  expireAccessTokens(): void {
    const now = this.now();
    for (const t of this.accessTokens.values()) t.expiresAt = Math.min(t.expiresAt, now);
  }

  expireRegistrations(): void {
    const now = this.now();
    for (const c of this.clients.values()) c.expiresAt = Math.min(c.expiresAt, now);
  }

  injectFault(fault: Fault): void {
    this.faults.push({ ...fault, times: fault.times ?? 1 });
  }

  clearFaults(): void {
    this.faults.length = 0;
  }

  /** ListAccountRoles for these accounts answers `status` until cleared with clearAccountFailures(). */
  failAccounts(ids: Iterable<string>, status = 500): void {
    for (const id of ids) this.failingAccounts.set(id, status);
  }

  clearAccountFailures(): void {
    this.failingAccounts.clear();
  }

  /** The throttle starts afresh (a full bucket, empty windows, a halving's clock not started), as for a new caller. */
  resetThrottle(): void {
    this.throttle?.reset();
  }

  resetStats(): void {
    this.stats.requests = {};
    this.stats.throttled = 0;
    this.stats.maxConcurrent = this.stats.inFlight;
    this.requests.length = 0;
  }

  /** A registration and an access token created directly, for tests that only need the portal. */
  mintToken(opts: { ttlSec?: number; withRefresh?: boolean } = {}): MintedToken {
    const reg = this.register({ clientName: 'minted', scopes: opts.withRefresh ? ['sso:account:access'] : [] });
    const tok = this.issueToken(reg, reg.scopes, opts.ttlSec);
    return {
      accessToken: tok.accessToken,
      refreshToken: tok.refreshToken,
      clientId: reg.clientId,
      clientSecret: reg.clientSecret,
      expiresAt: this.accessTokens.get(tok.accessToken)!.expiresAt,
      registrationExpiresAt: reg.expiresAt,
    };
  }

  /** Lets STS AssumeRole assume `role.arn` for the callers it trusts (replacing an earlier entry of that ARN). */
  addAssumableRole(role: AssumableRole): void {
    this.assumable.set(role.arn, { ...role, trusts: [...role.trusts] });
  }

  /** Every short-term key this fake issued expires now: STS then answers ExpiredToken. */
  expireRoleCredentials(): void {
    const now = this.now();
    for (const k of this.issuedKeys.values()) k.expiresAt = Math.min(k.expiresAt, now);
  }

  /** Every secret this fake has handed out, for leak tests. */
  issuedSecrets(): string[] {
    return [...this.secrets];
  }

  /** Whether the portal would accept this access token right now. */
  isAccessTokenValid(token: string): boolean {
    const t = this.accessTokens.get(token);
    return !!t && !t.revoked && this.now() < t.expiresAt;
  }

  // ---- state helpers --------------------------------------------------------------------------

  private secret(prefix: string, bytes: number, encoding?: 'base64url' | 'base64'): string {
    const s = rand(prefix, bytes, encoding);
    this.secrets.push(s);
    return s;
  }

  private decide(userCode: string, state: 'approved' | 'denied'): boolean {
    const d = this.userCodes.get(userCode.toUpperCase());
    if (!d || d.state !== 'pending' || this.now() >= d.expiresAt) return false;
    d.state = state;
    return true;
  }

  private register(p: { clientName: string; scopes?: string[]; grantTypes?: string[]; redirectUris?: string[] }): ClientReg {
    const reg: ClientReg = {
      clientId: rand('', 16),
      clientSecret: this.secret('cs.', 48),
      clientName: p.clientName,
      scopes: p.scopes ?? [],
      grantTypes: p.grantTypes ?? [],
      redirectUris: p.redirectUris ?? [],
      expiresAt: this.now() + (this.opts.registrationTtl ?? 90 * 86400) * 1000,
    };
    this.clients.set(reg.clientId, reg);
    return reg;
  }

  private issueToken(reg: ClientReg, scopes: string[], ttlSec?: number): { accessToken: string; refreshToken?: string; expiresIn: number } {
    const expiresIn = ttlSec ?? this.opts.accessTokenTtl ?? 28800;
    const accessToken = this.secret('aoa', 96);
    let refreshToken: string | undefined;
    // As the real service: a refresh token only for clients registered with scopes.
    if (reg.scopes.length > 0) {
      refreshToken = this.secret('aor', 96);
      this.refreshTokens.set(refreshToken, { clientId: reg.clientId, scopes, revoked: false });
    }
    this.accessTokens.set(accessToken, { clientId: reg.clientId, expiresAt: this.now() + expiresIn * 1000, revoked: false, refreshToken });
    return { accessToken, refreshToken, expiresIn };
  }

  private releaseHeld(allow: boolean): number {
    const held = this.held.splice(0);
    let n = 0;
    for (const h of held) {
      if (h.res.destroyed) continue;
      const target = new URL(h.redirectUri);
      if (allow) {
        const code = this.secret('ac.', 32);
        this.authCodes.set(code, {
          clientId: h.clientId,
          redirectUri: h.redirectUri,
          codeChallenge: h.codeChallenge,
          scopes: h.scopes,
          expiresAt: this.now() + 600_000,
          used: false,
        });
        target.searchParams.set('code', code);
      } else {
        target.searchParams.set('error', 'access_denied');
        target.searchParams.set('error_description', 'The user denied the request.');
      }
      if (h.state !== null) target.searchParams.set('state', h.state);
      this.finish(h.entry, h.res, 302, { location: target.toString(), 'content-type': 'text/plain' }, '');
      n++;
    }
    return n;
  }

  private checkClient(clientId: unknown, clientSecret: unknown): ClientReg {
    const reg = typeof clientId === 'string' ? this.clients.get(clientId) : undefined;
    if (!reg || reg.clientSecret !== clientSecret) {
      throw new HttpError(401, 'InvalidClientException', 'invalid_client', 'Invalid client id or secret.');
    }
    if (this.now() >= reg.expiresAt) {
      throw new HttpError(401, 'InvalidClientException', 'invalid_client', 'The client registration has expired.');
    }
    return reg;
  }

  private bearer(req: http.IncomingMessage): AccessTok {
    const h = req.headers['x-amz-sso_bearer_token'];
    const token = Array.isArray(h) ? h[0] : h;
    const t = token ? this.accessTokens.get(token) : undefined;
    if (!t || t.revoked || this.now() >= t.expiresAt) {
      throw new HttpError(401, 'UnauthorizedException', '', 'Session token not found or invalid');
    }
    return t;
  }

  private takeThrottleToken(): boolean {
    return this.throttle?.admit(performance.now()) ?? true;
  }

  private takeFault(op: FakeOp): Fault | undefined {
    const i = this.faults.findIndex((f) => f.op === op && (f.times ?? 1) > 0);
    if (i < 0) return undefined;
    const f = this.faults[i];
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, ms);
      this.timers.add(t);
    });
  }

  // ---- HTTP -----------------------------------------------------------------------------------

  private classify(method: string, path: string): FakeOp {
    const key = `${method} ${path}`;
    switch (key) {
      case 'POST /client/register': return 'register';
      case 'POST /device_authorization': return 'device';
      case 'POST /token': return 'token';
      case 'GET /authorize': return 'authorize';
      case 'GET /authorize/decide': return 'authorize-decide';
      case 'GET /device': return 'device-page';
      case 'GET /assignment/accounts': return 'accounts';
      case 'GET /assignment/roles': return 'roles';
      case 'GET /federation/credentials': return 'credentials';
      case 'POST /logout': return 'logout';
      case 'GET /federation': return 'federation';
      // STS's Query API: every action is a form POST to `/`.
      case 'POST /': return 'sts';
      default: return 'unknown';
    }
  }

  private finish(entry: RequestLogEntry, res: http.ServerResponse, status: number, headers: http.OutgoingHttpHeaders, body: string): void {
    entry.status = status;
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
    res.end(body);
  }

  private sendJson(entry: RequestLogEntry, res: http.ServerResponse, status: number, body: unknown): void {
    this.finish(entry, res, status, { 'content-type': 'application/json' }, JSON.stringify(body));
  }

  private sendError(entry: RequestLogEntry, res: http.ServerResponse, e: HttpError): void {
    const body = OIDC_OPS.has(entry.op)
      ? { error: e.oauthError || OAUTH_ERROR_BY_TYPE[e.errorType] || 'server_error', error_description: e.message }
      : { message: e.message };
    this.finish(entry, res, e.status, { 'content-type': 'application/json', 'x-amzn-errortype': e.errorType }, JSON.stringify(body));
  }

  private sendHtml(entry: RequestLogEntry, res: http.ServerResponse, status: number, html: string): void {
    this.finish(entry, res, status, { 'content-type': 'text/html; charset=utf-8' }, html);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const op = this.classify(method, u.pathname);
    const entry: RequestLogEntry = { op, method, path: u.pathname, time: this.now(), status: 0 };
    this.requests.push(entry);
    this.stats.requests[op] = (this.stats.requests[op] ?? 0) + 1;
    this.stats.inFlight++;
    this.stats.maxConcurrent = Math.max(this.stats.maxConcurrent, this.stats.inFlight);
    let counted = true;
    const leave = () => {
      if (counted) {
        counted = false;
        this.stats.inFlight--;
      }
    };
    res.once('close', leave);
    try {
      const raw = await readBody(req);
      if (this.opts.latencyMs) await this.delay(this.opts.latencyMs);
      if (this.closed) return;

      const fault = op === 'unknown' ? undefined : this.takeFault(op);
      if (fault) {
        if (fault.delayMs) await this.delay(fault.delayMs);
        if (this.closed) return;
        if (fault.reset) {
          req.socket.destroy();
          return;
        }
        if (fault.body !== undefined) {
          const headers: http.OutgoingHttpHeaders = { 'content-type': 'application/json' };
          if (fault.errorType) headers['x-amzn-errortype'] = fault.errorType;
          this.finish(entry, res, fault.status ?? 200, headers, fault.body);
          return;
        }
        if (fault.status !== undefined || fault.errorType !== undefined) {
          const status = fault.status ?? 500;
          const type = fault.errorType ?? ERROR_TYPE_BY_STATUS[status] ?? 'InternalServerException';
          this.sendError(entry, res, new HttpError(status, type, OAUTH_ERROR_BY_TYPE[type] ?? '', `Injected fault (${type}).`));
          return;
        }
      }

      if (PORTAL_OPS.has(op) && !this.takeThrottleToken()) {
        this.stats.throttled++;
        this.sendError(entry, res, new HttpError(429, 'TooManyRequestsException', '', 'Rate exceeded'));
        return;
      }

      await this.route(op, u, raw, req, res, entry);
    } catch (e) {
      if (e instanceof HttpError) this.sendError(entry, res, e);
      else {
        const msg = e instanceof Error ? e.message : String(e);
        this.sendError(entry, res, new HttpError(500, 'InternalServerException', 'server_error', `Fake failure: ${msg}`));
      }
    } finally {
      if (res.writableEnded || res.destroyed) leave();
    }
  }

  private async route(op: FakeOp, u: URL, raw: string, req: http.IncomingMessage, res: http.ServerResponse, entry: RequestLogEntry): Promise<void> {
    switch (op) {
      case 'register': return this.sendJson(entry, res, 200, this.onRegister(parseJson(raw)));
      case 'device': return this.sendJson(entry, res, 200, this.onDevice(parseJson(raw)));
      case 'token': return this.sendJson(entry, res, 200, this.onToken(parseJson(raw)));
      case 'authorize': return this.onAuthorize(u, res, entry);
      case 'authorize-decide': {
        const n = this.releaseHeld(u.searchParams.get('allow') !== '0');
        return this.sendHtml(entry, res, 200, page('Identity Center (fake)', `<p>Decided ${n} pending request(s).</p>`));
      }
      case 'device-page': return this.onDevicePage(u, res, entry);
      case 'accounts': return this.sendJson(entry, res, 200, this.onAccounts(req, u));
      case 'roles': return this.sendJson(entry, res, 200, this.onRoles(req, u));
      case 'credentials': return this.sendJson(entry, res, 200, this.onCredentials(req, u));
      case 'logout': return this.sendJson(entry, res, 200, this.onLogout(req));
      case 'federation': return this.onFederation(u, res, entry);
      case 'sts': return this.onSts(req, raw, res, entry);
      default:
        throw new HttpError(404, 'UnknownOperationException', 'invalid_request', `No route for ${entry.method} ${entry.path}`);
    }
  }

  // ---- OIDC -----------------------------------------------------------------------------------

  private onRegister(b: Record<string, unknown>) {
    const clientName = str(b.clientName);
    const clientType = str(b.clientType);
    if (!clientName || !clientType) throw invalidRequest('clientName and clientType are required.');
    if (clientType !== 'public') {
      throw new HttpError(400, 'InvalidClientMetadataException', 'invalid_client_metadata', 'clientType must be "public".');
    }
    const scopes = strList(b.scopes, 'scopes');
    const grantTypes = strList(b.grantTypes, 'grantTypes');
    const redirectUris = strList(b.redirectUris, 'redirectUris');
    if (grantTypes.includes('authorization_code') && redirectUris.length === 0) {
      throw invalidRequest('redirectUris is required for the authorization_code grant.');
    }
    for (const r of redirectUris) {
      let ok = false;
      try {
        const p = new URL(r);
        ok = p.protocol === 'http:' && (p.hostname === '127.0.0.1' || p.hostname === 'localhost' || p.hostname === '[::1]');
      } catch {
        ok = false;
      }
      if (!ok) throw new HttpError(400, 'InvalidRedirectUriException', 'invalid_redirect_uri', 'Redirect URIs must be loopback http URLs.');
    }
    const reg = this.register({ clientName, scopes, grantTypes, redirectUris });
    return {
      clientId: reg.clientId,
      clientSecret: reg.clientSecret,
      clientIdIssuedAt: Math.floor(this.now() / 1000),
      clientSecretExpiresAt: Math.floor(reg.expiresAt / 1000),
    };
  }

  private onDevice(b: Record<string, unknown>) {
    const reg = this.checkClient(b.clientId, b.clientSecret);
    const startUrl = str(b.startUrl);
    if (!startUrl) throw invalidRequest('startUrl is required.');
    let userCode: string;
    do {
      const bytes = randomBytes(8);
      const letters = [...bytes].map((x) => USER_CODE_ALPHABET[x % USER_CODE_ALPHABET.length]).join('');
      userCode = `${letters.slice(0, 4)}-${letters.slice(4)}`;
    } while (this.userCodes.has(userCode));
    const expiresIn = this.opts.deviceExpiresIn ?? 600;
    const d: DeviceAuth = {
      deviceCode: this.secret('dc.', 48),
      userCode,
      clientId: reg.clientId,
      startUrl,
      expiresAt: this.now() + expiresIn * 1000,
      state: this.opts.autoApprove ? 'approved' : 'pending',
      intervalMs: (this.opts.deviceInterval ?? 5) * 1000,
    };
    this.devices.set(d.deviceCode, d);
    this.userCodes.set(userCode, d);
    const verificationUri = `${this.url}/device`;
    return {
      deviceCode: d.deviceCode,
      userCode,
      verificationUri,
      verificationUriComplete: `${verificationUri}?user_code=${encodeURIComponent(userCode)}`,
      expiresIn,
      interval: this.opts.deviceInterval ?? 5,
    };
  }

  private onToken(b: Record<string, unknown>) {
    const reg = this.checkClient(b.clientId, b.clientSecret);
    const grantType = str(b.grantType);
    if (!grantType) throw invalidRequest('grantType is required.');
    const known = [DEVICE_GRANT, 'authorization_code', 'refresh_token'];
    if (!known.includes(grantType)) {
      throw new HttpError(400, 'UnsupportedGrantTypeException', 'unsupported_grant_type', 'Unsupported grant type.');
    }
    if (reg.grantTypes.length > 0 && !reg.grantTypes.includes(grantType)) {
      throw new HttpError(400, 'UnauthorizedClientException', 'unauthorized_client', 'The client is not registered for this grant type.');
    }
    const requested = b.scope === undefined ? undefined : strList(b.scope, 'scope');
    if (requested && requested.some((s) => !reg.scopes.includes(s))) {
      throw new HttpError(400, 'InvalidScopeException', 'invalid_scope', 'A requested scope was not registered.');
    }
    let scopes = requested ?? reg.scopes;

    if (grantType === DEVICE_GRANT) {
      const d = this.devices.get(str(b.deviceCode) ?? '');
      if (!d || d.clientId !== reg.clientId || d.state === 'consumed') throw invalidGrant('Invalid device code.');
      const now = this.now();
      if (now >= d.expiresAt) throw new HttpError(400, 'ExpiredTokenException', 'expired_token', 'The device code has expired.');
      const tooSoon = this.opts.enforceInterval && d.lastPollAt !== undefined && now - d.lastPollAt < d.intervalMs;
      d.lastPollAt = now;
      if (this.slowDowns > 0 || tooSoon) {
        if (this.slowDowns > 0) this.slowDowns--;
        d.intervalMs += 5000;
        throw new HttpError(400, 'SlowDownException', 'slow_down', 'Polling too fast.');
      }
      if (d.state === 'denied') throw new HttpError(400, 'AccessDeniedException', 'access_denied', 'The user denied the request.');
      if (d.state === 'pending') {
        throw new HttpError(400, 'AuthorizationPendingException', 'authorization_pending', 'The user has not yet approved the request.');
      }
      d.state = 'consumed';
    } else if (grantType === 'authorization_code') {
      const code = str(b.code) ?? '';
      const c = this.authCodes.get(code);
      if (!c || c.used || c.clientId !== reg.clientId || this.now() >= c.expiresAt) throw invalidGrant('Invalid authorization code.');
      // Single use even when the exchange fails, like a real authorization server.
      c.used = true;
      if (str(b.redirectUri) !== c.redirectUri) throw invalidGrant('redirectUri does not match the authorization request.');
      const verifier = str(b.codeVerifier);
      if (!verifier || s256(verifier) !== c.codeChallenge) throw invalidGrant('PKCE verification failed.');
      scopes = requested ?? c.scopes;
    } else {
      const rt = str(b.refreshToken) ?? '';
      const r = this.refreshTokens.get(rt);
      if (!r || r.revoked || r.clientId !== reg.clientId) throw invalidGrant('Invalid refresh token.');
      r.revoked = true; // rotation: the old refresh token is single use
      scopes = requested ?? r.scopes;
    }
    const t = this.issueToken(reg, scopes);
    return { accessToken: t.accessToken, tokenType: 'Bearer', expiresIn: t.expiresIn, ...(t.refreshToken ? { refreshToken: t.refreshToken } : {}) };
  }

  private onAuthorize(u: URL, res: http.ServerResponse, entry: RequestLogEntry): void {
    const q = u.searchParams;
    const bad = (msg: string) => this.sendHtml(entry, res, 400, page('Invalid request', `<p>${escapeHtml(msg)}</p>`));
    const reg = this.clients.get(q.get('client_id') ?? '');
    if (!reg || this.now() >= reg.expiresAt) return bad('Unknown or expired client_id.');
    if (q.get('response_type') !== 'code') return bad('response_type must be code.');
    if (q.get('code_challenge_method') !== 'S256') return bad('code_challenge_method must be S256.');
    const codeChallenge = q.get('code_challenge') ?? '';
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) return bad('code_challenge must be a base64url SHA-256 digest.');
    const redirectUri = q.get('redirect_uri') ?? '';
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return bad('redirect_uri is not a URL.');
    }
    // Like the real service: the loopback port may differ from the registered one, the path may not.
    const registeredPaths = reg.redirectUris.map((r) => new URL(r).pathname);
    if (target.protocol !== 'http:' || target.hostname !== '127.0.0.1' || !registeredPaths.includes(target.pathname)) {
      return bad('redirect_uri does not match a registered redirect URI.');
    }
    const scopes = (q.get('scopes') ?? '').split(/[ ,]+/).filter(Boolean);
    if (scopes.some((s) => !reg.scopes.includes(s))) return bad('A requested scope was not registered.');
    this.held.push({ res, clientId: reg.clientId, redirectUri, state: q.get('state'), codeChallenge, scopes, entry });
    for (const w of this.heldWaiters.splice(0)) w();
    if (this.opts.autoApprove) this.approveAuthorization();
  }

  private onDevicePage(u: URL, res: http.ServerResponse, entry: RequestLogEntry): void {
    const code = u.searchParams.get('user_code');
    if (!code) {
      const links = this.pendingUserCodes()
        .map((c) => `<li><a href="/device?user_code=${encodeURIComponent(c)}">Approve ${escapeHtml(c)}</a></li>`)
        .join('');
      return this.sendHtml(entry, res, 200, page('Authorize request', `<ul>${links || '<li>No pending requests.</li>'}</ul>`));
    }
    const d = this.userCodes.get(code.toUpperCase());
    if (!d) return this.sendHtml(entry, res, 404, page('Unknown code', '<p>No such user code.</p>'));
    if (this.now() >= d.expiresAt && d.state === 'pending') {
      return this.sendHtml(entry, res, 400, page('Code expired', '<p>This code has expired. Start again.</p>'));
    }
    if (d.state === 'pending') d.state = 'approved';
    if (d.state === 'denied') return this.sendHtml(entry, res, 403, page('Request denied', '<p>This request was denied.</p>'));
    return this.sendHtml(entry, res, 200, page('Request approved', `<p>${escapeHtml(d.userCode)} approved. You can close this window.</p>`));
  }

  // ---- portal ---------------------------------------------------------------------------------

  private onAccounts(req: http.IncomingMessage, u: URL) {
    this.bearer(req);
    const { items, nextToken } = paginate(this.accounts, u, 'accounts');
    return {
      accountList: items.map((a) => ({ accountId: a.accountId, accountName: a.accountName, emailAddress: a.emailAddress })),
      ...(nextToken ? { nextToken } : {}),
    };
  }

  private onRoles(req: http.IncomingMessage, u: URL) {
    this.bearer(req);
    const id = u.searchParams.get('account_id');
    if (!id) throw invalidRequest('account_id is required.');
    const failing = this.failingAccounts.get(id);
    if (failing !== undefined) {
      throw new HttpError(failing, ERROR_TYPE_BY_STATUS[failing] ?? 'InternalServerException', '', 'Injected failure for this account.');
    }
    const acct = this.accounts.find((a) => a.accountId === id);
    if (!acct) throw new HttpError(403, 'ForbiddenException', '', 'No access');
    const { items, nextToken } = paginate(acct.roles, u, `roles:${id}`);
    return { roleList: items.map((roleName) => ({ roleName, accountId: id })), ...(nextToken ? { nextToken } : {}) };
  }

  private onCredentials(req: http.IncomingMessage, u: URL) {
    this.bearer(req);
    const roleName = u.searchParams.get('role_name');
    const accountId = u.searchParams.get('account_id');
    if (!roleName || !accountId) throw invalidRequest('role_name and account_id are required.');
    const acct = this.accounts.find((a) => a.accountId === accountId);
    if (!acct || !acct.roles.includes(roleName)) throw new HttpError(403, 'ForbiddenException', '', 'No access');
    const key = this.issueKey({ accountId, roleName }, `arn:aws:sts::${accountId}:assumed-role/${roleName}/fake-user`, (this.opts.roleCredentialsTtl ?? 3600) * 1000);
    return {
      roleCredentials: { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, sessionToken: key.sessionToken, expiration: key.expiresAt },
    };
  }

  private issueKey(principal: IssuedKey['principal'], arn: string, ttlMs: number): IssuedKey {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const key: IssuedKey = {
      accessKeyId: 'ASIA' + [...randomBytes(16)].map((x) => alphabet[x % 32]).join(''),
      // As AWS issues them: 40 characters of standard base64. base64url's `-` could lead one, which
      // no real secret does (and `aws configure set` would take for an option: it is refused).
      secretAccessKey: this.secret('', 30, 'base64'),
      sessionToken: this.secret('IQoJb3JpZ2luX2Vj', 240),
      expiresAt: this.now() + ttlMs,
      principal,
      arn,
    };
    this.issuedKeys.set(key.accessKeyId, key);
    return key;
  }

  // ---- STS ------------------------------------------------------------------------------------

  /**
   * STS's Query API (`Action=AssumeRole|GetCallerIdentity&Version=2011-06-15`, a SigV4-signed form
   * POST). The caller is the access key id in the Authorization header, which must be one this fake
   * issued, unexpired, sent with its own session token. The signature itself is NOT verified
   * cryptographically: the key id and token are enough to tell our credentials from anyone else's.
   */
  private onSts(req: http.IncomingMessage, raw: string, res: http.ServerResponse, entry: RequestLogEntry): void {
    const xml = (status: number, body: string) => this.finish(entry, res, status, { 'content-type': 'text/xml' }, body);
    const fail = (status: number, code: string, message: string) =>
      xml(
        status,
        `<ErrorResponse xmlns="${STS_NS}"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escapeHtml(message)}</Message></Error><RequestId>${randomUUIDish()}</RequestId></ErrorResponse>`,
      );
    const q = new URLSearchParams(raw);
    if (q.get('Version') !== '2011-06-15') return fail(400, 'InvalidAction', 'Could not find operation for this version.');
    const auth = String(req.headers.authorization ?? '');
    const keyId = /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\//.exec(auth)?.[1];
    const caller = keyId ? this.issuedKeys.get(keyId) : undefined;
    if (!caller) return fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (req.headers['x-amz-security-token'] !== caller.sessionToken) return fail(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    if (this.now() >= caller.expiresAt) return fail(400, 'ExpiredToken', 'The security token included in the request is expired');
    const action = q.get('Action');
    const account = caller.arn.split(':')[4];
    if (action === 'GetCallerIdentity') {
      return xml(
        200,
        `<GetCallerIdentityResponse xmlns="${STS_NS}"><GetCallerIdentityResult><Arn>${escapeHtml(caller.arn)}</Arn><UserId>AROAFAKE:${escapeHtml(caller.arn.split('/').pop() ?? '')}</UserId><Account>${account}</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>${randomUUIDish()}</RequestId></ResponseMetadata></GetCallerIdentityResponse>`,
      );
    }
    if (action !== 'AssumeRole') return fail(400, 'InvalidAction', `Could not find operation ${action ?? ''}.`);
    const roleArn = q.get('RoleArn') ?? '';
    const sessionName = q.get('RoleSessionName') ?? '';
    if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) return fail(400, 'ValidationError', 'RoleSessionName is not valid.');
    const duration = Number(q.get('DurationSeconds') ?? '3600');
    // Every caller here is a role session (SSO role credentials are one too): this is role chaining.
    if (duration > 3600) return fail(400, 'ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
    if (!(duration >= 900)) return fail(400, 'ValidationError', 'DurationSeconds must be at least 900.');
    const denied = () => fail(403, 'AccessDenied', `User: ${caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const target = this.assumable.get(roleArn);
    if (!target) return denied();
    const p = caller.principal;
    const trusted = target.trusts.some((t) =>
      typeof t === 'string' ? t === '*' || t === p : typeof p !== 'string' && t.accountId === p.accountId && t.roleName === p.roleName,
    );
    // STS answers a wrong or missing external ID exactly as an untrusted caller: AccessDenied.
    if (!trusted || (target.externalId ?? null) !== (q.get('ExternalId') ?? null)) return denied();
    const name = roleArn.split('/').pop()!;
    const targetAccount = roleArn.split(':')[4];
    const key = this.issueKey(roleArn, `arn:aws:sts::${targetAccount}:assumed-role/${name}/${sessionName}`, duration * 1000);
    return xml(
      200,
      `<AssumeRoleResponse xmlns="${STS_NS}"><AssumeRoleResult><AssumedRoleUser><AssumedRoleId>AROAFAKE:${sessionName}</AssumedRoleId><Arn>${escapeHtml(key.arn)}</Arn></AssumedRoleUser><Credentials><AccessKeyId>${key.accessKeyId}</AccessKeyId><SecretAccessKey>${key.secretAccessKey}</SecretAccessKey><SessionToken>${key.sessionToken}</SessionToken><Expiration>${new Date(key.expiresAt).toISOString()}</Expiration></Credentials></AssumeRoleResult><ResponseMetadata><RequestId>${randomUUIDish()}</RequestId></ResponseMetadata></AssumeRoleResponse>`,
    );
  }

  /**
   * The console federation endpoint (signin.aws.amazon.com/federation): `Action=getSigninToken`
   * trades role credentials (JSON in `Session`) for `{SigninToken}`; `Action=login` with that
   * token answers a stand-in console page. Tokens are single use, like the real ones.
   */
  private onFederation(u: URL, res: http.ServerResponse, entry: RequestLogEntry): void {
    const q = u.searchParams;
    const action = q.get('Action');
    if (action === 'getSigninToken') {
      let s: { sessionId?: unknown; sessionKey?: unknown; sessionToken?: unknown } | undefined;
      try {
        s = JSON.parse(q.get('Session') ?? '');
      } catch {
        s = undefined;
      }
      const ok = !!s && typeof s === 'object' && [s.sessionId, s.sessionKey, s.sessionToken].every((v) => typeof v === 'string' && v !== '');
      if (!ok) return this.sendHtml(entry, res, 400, page('Bad request', '<p>Session is not valid JSON credentials.</p>'));
      const issued = this.secrets.includes(s!.sessionKey as string) && this.secrets.includes(s!.sessionToken as string);
      if (!issued && !this.opts.federationAcceptAny) {
        return this.sendHtml(entry, res, 400, page('Bad request', '<p>The credentials are not valid.</p>'));
      }
      const token = this.secret('fst.', 64);
      this.signinTokens.add(token);
      return this.sendJson(entry, res, 200, { SigninToken: token });
    }
    if (action === 'login') {
      const token = q.get('SigninToken') ?? '';
      if (!this.signinTokens.delete(token)) return this.sendHtml(entry, res, 400, page('Sign-in failed', '<p>Invalid or used sign-in token.</p>'));
      return this.sendHtml(entry, res, 200, page('AWS Management Console (fake)', `<p>Signed in. Destination: ${escapeHtml(q.get('Destination') ?? '')}</p>`));
    }
    return this.sendHtml(entry, res, 400, page('Bad request', '<p>Unknown Action.</p>'));
  }

  private onLogout(req: http.IncomingMessage) {
    const t = this.bearer(req);
    t.revoked = true;
    if (t.refreshToken) {
      const r = this.refreshTokens.get(t.refreshToken);
      if (r) r.revoked = true;
    }
    return {};
  }
}

// ---- a scripted browser -------------------------------------------------------------------------

export interface BrowserVisit {
  /** The last URL visited (after redirects). */
  url: string;
  status: number;
  body: string;
}

/**
 * What a user's browser does with a sign-in URL: GET it and follow redirects (up to `maxRedirects`), so
 * opening a verificationUriComplete approves a device code and an approved /authorize lands on the
 * loopback callback. Wire it in as the "open external URL" port of code under test.
 */
export async function fakeBrowser(url: string, maxRedirects = 5): Promise<BrowserVisit> {
  let current = url;
  for (let hop = 0; ; hop++) {
    const r = await new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
      http
        .get(current, { agent: false }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location, body }));
          res.on('error', reject);
        })
        .on('error', reject);
    });
    if (r.status >= 300 && r.status < 400 && r.location && hop < maxRedirects) {
      current = new URL(r.location, current).toString();
      continue;
    }
    return { url: current, status: r.status, body: r.body };
  }
}

// ---- small helpers ------------------------------------------------------------------------------

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function invalidRequest(msg: string): HttpError {
  return new HttpError(400, 'InvalidRequestException', 'invalid_request', msg);
}

function invalidGrant(msg: string): HttpError {
  return new HttpError(400, 'InvalidGrantException', 'invalid_grant', msg);
}

function parseJson(raw: string): Record<string, unknown> {
  if (raw.trim() === '') return {};
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    throw invalidRequest('The request body is not valid JSON.');
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) throw invalidRequest('The request body must be a JSON object.');
  return v as Record<string, unknown>;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strList(v: unknown, field: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw invalidRequest(`${field} must be a list of strings.`);
  return v as string[];
}

/** Opaque page tokens that only work for the listing that issued them. */
function paginate<T>(all: readonly T[], u: URL, scope: string): { items: T[]; nextToken?: string } {
  const maxRaw = u.searchParams.get('max_result');
  const max = maxRaw === null ? 100 : Number(maxRaw);
  if (!Number.isInteger(max) || max < 1 || max > 100) throw invalidRequest('max_result must be an integer from 1 to 100.');
  let start = 0;
  const tok = u.searchParams.get('next_token');
  if (tok !== null && tok !== '') {
    let parsed: { s?: unknown; o?: unknown } | undefined;
    try {
      parsed = JSON.parse(Buffer.from(tok, 'base64url').toString('utf8'));
    } catch {
      parsed = undefined;
    }
    if (!parsed || parsed.s !== scope || typeof parsed.o !== 'number' || parsed.o < 0 || parsed.o > all.length) {
      throw invalidRequest('Invalid next_token.');
    }
    start = parsed.o;
  }
  const items = all.slice(start, start + max);
  const end = start + items.length;
  const nextToken = end < all.length ? Buffer.from(JSON.stringify({ s: scope, o: end })).toString('base64url') : undefined;
  return { items, nextToken };
}
