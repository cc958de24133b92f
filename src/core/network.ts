// How the command line's SDK clients reach the service: a request handler whose agent tunnels through
// the proxy that ./proxy decides on and trusts the certificate authorities it names. The editor
// passes no Network: VS Code's own proxy support applies there.
import type { ClientRequest } from 'node:http';
import { isIP, type Socket } from 'node:net';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { SsoError } from './errors';
import { NetworkOptions, ProxyChoice, proxyFor, redactProxyUrl } from './proxy';
import { httpSdk } from './sdk';

let tunnelModule: typeof import('https-proxy-agent') | undefined;

/**
 * `https-proxy-agent`, loaded on first use: a file of its own in the bundles (dist/proxy.js, see
 * ./proxyModules), required only by the command line with a proxy to go through. This module is
 * reached only from the command line's network code, never from the editor's bundles.
 */
function tunnelSdk(): typeof import('https-proxy-agent') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  tunnelModule ??= (require('./proxyModules') as typeof import('./proxyModules')).tunnel();
  return tunnelModule;
}

/** The SDK's handler settings every client has (endpoints.ts): our flows own the deadlines, the SDK must not hang. */
export interface HandlerSettings {
  requestTimeout: number;
  connectionTimeout: number;
  throwOnRequestTimeout: boolean;
}

/**
 * How an SDK client reaches its endpoint, handed down by the command line (the editor gives none).
 * A port rather than the options themselves, so that the editor's bundles and `status` never carry
 * this module: endpoints.ts only knows its type.
 */
export interface Network {
  /** The `requestHandler` of a client for `endpoint`. */
  requestHandler(endpoint: string, settings: HandlerSettings): unknown;
}

/** The command line's Network: its proxy and certificate authorities from ./proxy networkFromEnv. */
export function networkPort(options: NetworkOptions): Network {
  return { requestHandler: (endpoint, settings) => requestHandlerFor(endpoint, options, settings) };
}

/** The SDK's settings as they are, or a Node handler whose agent tunnels through the proxy and trusts `ca`. */
function requestHandlerFor(endpoint: string, network: NetworkOptions, settings: HandlerSettings): unknown {
  const proxy = proxyFor(endpoint, network);
  if (!proxy && !network.ca) return settings;
  const { NodeHttpHandler } = httpSdk();
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const https = require('node:https') as typeof import('node:https');
  const answerMs = network.proxyAnswerMs ?? Math.max(1000, settings.connectionTimeout - PROXY_ANSWER_MARGIN_MS);
  const httpsAgent = proxy ? tunnelAgent(proxy, network.ca, answerMs) : new https.Agent({ keepAlive: true, ca: network.ca });
  return new NodeHttpHandler({ ...settings, httpsAgent });
}

/**
 * A proxy that took the connection but has not answered the CONNECT this long before the SDK's own
 * connection timeout is given up on here, so that the error names it and is not retried as a blip.
 */
const PROXY_ANSWER_MARGIN_MS = 1000;

type AgentClass = ReturnType<typeof tunnelSdk>['HttpsProxyAgent'];
let Tunnel: (new (proxy: ProxyChoice, ca: string[] | undefined, answerMs: number) => InstanceType<AgentClass>) | undefined;

/**
 * An https-proxy-agent that says which proxy failed. Its own failures would reach the SDK as a
 * bare ECONNREFUSED (retried as a network blip) or as the proxy's 407 page replayed as if the
 * service had sent it; here both are an error naming the proxy (password masked), never retried.
 */
function tunnelAgent(proxy: ProxyChoice, ca: string[] | undefined, answerMs: number) {
  if (!Tunnel) {
    const { HttpsProxyAgent } = tunnelSdk();
    Tunnel = class extends HttpsProxyAgent<string> {
      constructor(
        private readonly choice: ProxyChoice,
        private readonly targetCa: string[] | undefined,
        private readonly answerMs: number,
      ) {
        // `ca` here is for an https:// proxy's own certificate.
        super(choice.url.href, { keepAlive: true, ...(targetCa ? { ca: targetCa } : {}) });
      }

      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      override async connect(req: ClientRequest, opts: any): Promise<Socket> {
        let status: number | undefined;
        let statusText = '';
        req.once('proxyConnect', (c: { statusCode: number; statusText: string }) => {
          status = c.statusCode;
          statusText = c.statusText;
        });
        // The agent makes its socket to the proxy synchronously, from connectOpts: a signal given there for
        // this one call closes that socket when the proxy keeps silent (nothing else holds it).
        const silent = new AbortController();
        const shared = this.connectOpts;
        this.connectOpts = { ...shared, signal: silent.signal };
        let pending: Promise<Socket>;
        try {
          pending = super.connect(req, targetTlsOptions(opts, this.targetCa));
        } finally {
          this.connectOpts = shared;
        }
        const timer = setTimeout(() => silent.abort(), this.answerMs);
        let socket: Socket;
        try {
          socket = await pending;
        } catch (e) {
          throw proxyUnreachable(this.choice, e, silent.signal.aborted ? `it took the connection but did not answer the CONNECT within ${Math.round(this.answerMs / 100) / 10} s` : undefined);
        } finally {
          clearTimeout(timer);
        }
        if (status !== 200) {
          socket.destroy();
          throw proxyRefused(this.choice, `${String(opts.host)}:${String(opts.port)}`, status, statusText);
        }
        return socket;
      }
    };
  }
  return new Tunnel(proxy, ca, answerMs);
}

/**
 * The TLS options for the service through the tunnel. The agent takes them from the request, not
 * from its own options, so our authorities are added here; and it drops `host` (so Node would check
 * the certificate against "localhost") and sets no servername for an IP address: the certificate
 * is checked against the endpoint's address instead.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function targetTlsOptions(opts: any, ca: string[] | undefined): any {
  const out = ca ? { ...opts, ca } : { ...opts };
  if (opts.secureEndpoint && typeof opts.host === 'string' && isIP(opts.host.replace(/^\[|\]$/g, ''))) {
    const host = opts.host.replace(/^\[|\]$/g, '');
    out.checkServerIdentity = (_name: string, cert: PeerCertificate) => checkServerIdentity(host, cert);
  }
  return out;
}

function proxyName(p: ProxyChoice): string {
  return `the proxy ${redactProxyUrl(p.url)} (${p.variable})`;
}

/** The proxy could not be reached: a message naming it and the reason, never retried. */
export function proxyUnreachable(p: ProxyChoice, e: unknown, reason?: string): SsoError {
  const code = (e as { code?: unknown } | undefined)?.code;
  const why = reason ?? (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : e instanceof Error ? e.name : 'connection failed');
  return new SsoError(
    'Network',
    `Could not connect to ${proxyName(p)}: ${why}. Check ${p.variable}, or list the service's host in NO_PROXY to connect directly.`,
    { cause: e },
  );
}

/** The proxy answered the CONNECT with something other than 200. */
export function proxyRefused(p: ProxyChoice, dest: string, status: number | undefined, statusText: string): SsoError {
  const what = `${status ?? '?'}${statusText ? ` ${statusText}` : ''}`.replace(/[^\x20-\x7e]/g, '?').slice(0, 80);
  const hint =
    status === 407
      ? ` Check the user name and password in ${p.variable} (special characters percent-encoded, e.g. %40 for @).`
      : ` Ask whoever runs the proxy to allow ${dest}.`;
  return new SsoError('Network', `${proxyName(p)} refused the tunnel to ${dest} (${what}).${hint}`.replace(/^t/, 'T'));
}
