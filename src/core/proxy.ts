// The command line's network rules, as the AWS CLI has them: which proxy a request goes through
// (HTTPS_PROXY, NO_PROXY), which certificate authorities it trusts (AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS),
// and how a proxy is named in a message (never with its password). The editor uses none of this:
// VS Code's own proxy support covers it there.
import { readFileSync } from 'node:fs';
import { SsoError } from './errors';

/** A proxy from the environment, and the variable it came from (for messages). */
export interface ProxyChoice {
  url: URL;
  variable: string;
}

/** What the command line's SDK clients need to reach the service; built once per run by networkFromEnv. */
export interface NetworkOptions {
  /** The proxy for https requests, when one is set. */
  httpsProxy?: ProxyChoice;
  /** NO_PROXY as given (comma-separated), when set. */
  noProxy?: string;
  /** The certificate authorities to trust instead of Node's default ones, when AWS_CA_BUNDLE or NODE_EXTRA_CA_CERTS is set. */
  ca?: string[];
  /** Things worth saying once (an unreadable NODE_EXTRA_CA_CERTS, which Node too only warns about). */
  warnings: string[];
  /** How long the proxy may take to answer a CONNECT, ms; default a second under the SDK's connection timeout (tests shorten it). */
  proxyAnswerMs?: number;
}

/**
 * `name_proxy` from the environment as Python's urllib reads it for botocore: the lower-case
 * variable wins, and an empty lower-case one switches the upper-case one off.
 */
function envVariable(env: NodeJS.ProcessEnv, lower: string): { name: string; value: string } | undefined {
  if (lower in env) {
    const v = env[lower];
    return v ? { name: lower, value: v } : undefined;
  }
  const upper = lower.toUpperCase();
  const v = env[upper];
  return v ? { name: upper, value: v } : undefined;
}

/** `http://user:***@host:port`: a proxy URL fit for a message or a log line. */
export function redactProxyUrl(url: URL | string): string {
  if (typeof url === 'string') {
    // Not a URL we could parse: keep the scheme and what follows the last @ only.
    const at = url.lastIndexOf('@');
    if (at < 0) return url;
    const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(url)?.[0] ?? '';
    return `${scheme}***@${url.slice(at + 1)}`;
  }
  const auth = url.username || url.password ? `${url.username}${url.password ? ':***' : ''}@` : '';
  return `${url.protocol}//${auth}${url.host}${url.pathname === '/' ? '' : url.pathname}`;
}

/**
 * A proxy variable's value as botocore takes it: `host:port` and `//host:port` mean http. Only
 * http and https proxies (the ones the AWS CLI speaks CONNECT to); anything else is an error
 * naming the variable, not a silent direct connection.
 */
export function parseProxyUrl(raw: string, variable: string): ProxyChoice {
  const fixed = /^https?:/i.test(raw) ? raw : raw.startsWith('//') ? `http:${raw}` : /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`;
  let url: URL;
  try {
    url = new URL(fixed);
  } catch {
    throw new SsoError('InvalidInput', `${variable} is not a proxy URL: ${redactProxyUrl(raw)}.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new SsoError('InvalidInput', `${variable} names a ${url.protocol.slice(0, -1)} proxy (${redactProxyUrl(url)}); only http:// and https:// proxies are supported.`);
  }
  if (!url.hostname) throw new SsoError('InvalidInput', `${variable} is not a proxy URL: ${redactProxyUrl(url)}.`);
  return { url, variable };
}

/**
 * Whether NO_PROXY exempts `target` from the proxy, as urllib's proxy_bypass_environment decides
 * for botocore: `*` alone (exactly) exempts everything; otherwise each comma-separated entry (a leading dot
 * ignored, case ignored) matches the host itself, `host:port`, or any host under it as a domain
 * suffix (`example.com` and `.example.com` both match `a.example.com`, never `badexample.com`).
 * No CIDR ranges: botocore has none either.
 */
export function bypassesProxy(target: URL, noProxy: string | undefined): boolean {
  if (noProxy === undefined) return false;
  if (noProxy === '*') return true;
  const host = target.hostname.toLowerCase();
  // An IPv6 address ([::1]) matches with or without its brackets (urllib: only with), never as a suffix.
  const ipv6 = host.startsWith('[');
  const bare = ipv6 ? host.slice(1, -1) : host;
  // As in urllib, `host:port` matches only a URL that spells the port out.
  const hostPort = target.port ? `${host}:${target.port}` : host;
  for (const entry of noProxy.split(',')) {
    const name = entry.trim().replace(/^\.+/, '').toLowerCase();
    if (!name) continue;
    if (name === host || name === bare || name === hostPort) return true;
    if (!ipv6 && (host.endsWith(`.${name}`) || hostPort.endsWith(`.${name}`))) return true;
  }
  return false;
}

/**
 * The proxy a request to `target` goes through, or undefined for a direct connection. Only https
 * targets are proxied: a plain-http endpoint can only be this machine (urls.ts checkSecureUrl).
 */
export function proxyFor(target: string | URL, network: NetworkOptions): ProxyChoice | undefined {
  const url = typeof target === 'string' ? new URL(target) : target;
  if (url.protocol !== 'https:' || !network.httpsProxy) return undefined;
  return bypassesProxy(url, network.noProxy) ? undefined : network.httpsProxy;
}

/** PEM certificates in a file's text; the file is named in the error when it holds none. */
function pemCertificates(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}

export type ReadText = (file: string) => string;
const readText: ReadText = (file) => readFileSync(file, 'utf8');

/**
 * The certificate authorities to trust. AWS_CA_BUNDLE replaces the default ones, as in the AWS CLI
 * (an unreadable or empty bundle is an error, as there). NODE_EXTRA_CA_CERTS adds to whichever set
 * is in use; Node itself reads it only when the process starts, so it is read here again from the
 * environment the command line was given (the same one, when run as a program), and an unreadable
 * one is a warning, as in Node. Undefined: Node's defaults (nothing was set).
 */
export function caBundleFromEnv(env: NodeJS.ProcessEnv, read: ReadText = readText, fromConfig?: ConfigCaBundle): { ca?: string[]; warnings: string[] } {
  const warnings: string[] = [];
  // The environment wins over the profile's ca_bundle, as in botocore.
  const bundle = env.AWS_CA_BUNDLE || fromConfig?.file;
  const origin = env.AWS_CA_BUNDLE ? 'AWS_CA_BUNDLE' : (fromConfig?.where ?? 'ca_bundle');
  const extra = env.NODE_EXTRA_CA_CERTS;
  if (!bundle && !extra) return { warnings };
  let base: string[];
  if (bundle) {
    let text: string;
    try {
      text = read(bundle);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      throw new SsoError('InvalidInput', `${origin} names ${bundle}, which cannot be read${typeof code === 'string' ? ` (${code})` : ''}.`, { cause: e });
    }
    base = pemCertificates(text);
    if (base.length === 0) throw new SsoError('InvalidInput', `${origin} names ${bundle}, which holds no PEM certificate (-----BEGIN CERTIFICATE-----).`);
  } else {
    // Lazily: tls is loaded only when a bundle is configured.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    base = [...(require('node:tls') as typeof import('node:tls')).rootCertificates];
  }
  if (extra) {
    let added: string[] = [];
    try {
      added = pemCertificates(read(extra));
      if (added.length === 0) warnings.push(`NODE_EXTRA_CA_CERTS names ${extra}, which holds no PEM certificate; ignored.`);
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      warnings.push(`NODE_EXTRA_CA_CERTS names ${extra}, which cannot be read${typeof code === 'string' ? ` (${code})` : ''}; ignored.`);
    }
    base = [...base, ...added];
  }
  return { ca: base, warnings };
}

/** A profile's `ca_bundle` (the AWS CLI's config key; AWS_CA_BUNDLE overrides it), and where it was set, for messages. */
export interface ConfigCaBundle {
  file: string;
  where: string;
}

/**
 * The command line's network options from its environment (proxy, exemptions, certificate authorities) and
 * the active profile's `ca_bundle`, which the AWS CLI reads as it reads AWS_CA_BUNDLE.
 */
export function networkFromEnv(env: NodeJS.ProcessEnv, read: ReadText = readText, fromConfig?: ConfigCaBundle): NetworkOptions {
  const p = envVariable(env, 'https_proxy');
  const no = envVariable(env, 'no_proxy');
  const { ca, warnings } = caBundleFromEnv(env, read, fromConfig);
  return {
    ...(p ? { httpsProxy: parseProxyUrl(p.value, p.name) } : {}),
    ...(no ? { noProxy: no.value } : {}),
    ...(ca ? { ca } : {}),
    warnings,
  };
}
