// An HTTPS proxy on 127.0.0.1 that lets the real AWS CLI v2 talk to the fake Identity Center.
//
// The CLI (2.9) has no endpoint override for SSO; it honours HTTPS_PROXY and AWS_CA_BUNDLE. This
// proxy accepts `CONNECT host:443` only for the listed AWS hostnames, terminates TLS with a leaf
// certificate for them signed by a throwaway CA (made with openssl in a temporary directory), and
// forwards the decrypted HTTP requests to the fake. Every other CONNECT (or plain proxy request)
// is answered 403 and recorded in `refused`, so a test can assert that nothing else was contacted.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface TestCa {
  dir: string;
  /** PEM of the CA certificate: the value for AWS_CA_BUNDLE. */
  caFile: string;
  key: string;
  cert: string;
  hosts: string[];
  cleanup(): Promise<void>;
}

/** The SSO OIDC and portal hostnames of the given regions. */
export function ssoHosts(...regions: string[]): string[] {
  return regions.flatMap((r) => [`oidc.${r}.amazonaws.com`, `portal.sso.${r}.amazonaws.com`]);
}

/**
 * The STS hostnames of the given regions, and the global one: the AWS CLI 2.9 has no
 * AWS_ENDPOINT_URL_STS, so a chained profile's AssumeRole reaches the fake through the proxy.
 */
export function stsHosts(...regions: string[]): string[] {
  return ['sts.amazonaws.com', ...regions.map((r) => `sts.${r}.amazonaws.com`)];
}

/**
 * A CA and one leaf certificate whose SANs are `hosts` (IP addresses as IP SANs), generated with openssl (EC P-256: fast).
 * Both expire in a day; the private keys never leave the temporary directory.
 */
export async function makeTestCa(hosts: string[]): Promise<TestCa> {
  if (hosts.length === 0) throw new Error('makeTestCa: no hosts');
  for (const h of hosts) if (!/^[a-z0-9.-]+$/.test(h)) throw new Error(`makeTestCa: bad host ${h}`);
  const dir = await mkdtemp(join(tmpdir(), 'sso-proxy-ca-'));
  const p = (f: string) => join(dir, f);
  const openssl = (args: string[]) => run('openssl', args, { cwd: dir, timeout: 30_000 });
  try {
    await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('ca.key')]);
    await openssl([
      'req', '-x509', '-new', '-key', p('ca.key'), '-sha256', '-days', '1', '-subj', '/CN=aws-sso-profiles interop test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
      '-addext', 'subjectKeyIdentifier=hash', '-out', p('ca.pem'),
    ]);
    await openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('leaf.key')]);
    await openssl(['req', '-new', '-key', p('leaf.key'), '-subj', `/CN=${hosts[0]}`, '-out', p('leaf.csr')]);
    await writeFile(
      p('leaf.ext'),
      [
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'subjectKeyIdentifier=hash',
        'authorityKeyIdentifier=keyid',
        `subjectAltName=${hosts.map((h) => (isIP(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`,
        '',
      ].join('\n'),
    );
    await openssl([
      'x509', '-req', '-in', p('leaf.csr'), '-CA', p('ca.pem'), '-CAkey', p('ca.key'), '-CAcreateserial', '-sha256', '-days', '1',
      '-extfile', p('leaf.ext'), '-out', p('leaf.pem'),
    ]);
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    dir,
    caFile: p('ca.pem'),
    key: await readFile(p('leaf.key'), 'utf8'),
    cert: await readFile(p('leaf.pem'), 'utf8'),
    hosts: [...hosts],
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface ProxiedRequest {
  host: string;
  method: string;
  path: string;
  status: number;
}

export interface SsoProxy {
  /** `http://127.0.0.1:PORT`: the value for HTTPS_PROXY. */
  url: string;
  caFile: string;
  /** Every refused destination (`host:port`, or `GET http://...` for a plain proxy request). */
  refused: string[];
  /** Every request forwarded to the target, in order (no headers or bodies: they hold tokens). */
  forwarded: ProxiedRequest[];
  close(): Promise<void>;
}

export interface SsoProxyOptions {
  /** Where decrypted requests go, e.g. `fake.url` (plain http). */
  target: string;
  /** Hostnames accepted in CONNECT (port 443 only). Default: ssoHosts('us-east-1'). */
  hosts?: string[];
  /** A CA made by makeTestCa for these hosts; when absent one is made and removed by close(). */
  ca?: TestCa;
}

export async function startSsoProxy(opts: SsoProxyOptions): Promise<SsoProxy> {
  const hosts = new Set((opts.hosts ?? ssoHosts('us-east-1')).map((h) => h.toLowerCase()));
  const ownCa = !opts.ca;
  const ca = opts.ca ?? (await makeTestCa([...hosts]));
  for (const h of hosts) if (!ca.hosts.includes(h)) throw new Error(`startSsoProxy: the CA has no SAN for ${h}`);
  const target = new URL(opts.target);
  if (target.protocol !== 'http:' || (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost')) {
    throw new Error('startSsoProxy: the target must be a loopback http URL');
  }
  const refused: string[] = [];
  const forwarded: ProxiedRequest[] = [];
  const sockets = new Set<Socket>();
  const secureContext = tls.createSecureContext({ key: ca.key, cert: ca.cert });

  // Serves the decrypted requests: forwards each to the target, keeping method, path and headers.
  const inner = http.createServer((req, res) => {
    const host = String((req.socket as Socket & { proxiedHost?: string }).proxiedHost ?? req.headers.host ?? '');
    const entry: ProxiedRequest = { host, method: req.method ?? 'GET', path: req.url ?? '/', status: 0 };
    forwarded.push(entry);
    const up = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent: false,
      },
      (upRes) => {
        entry.status = upRes.statusCode ?? 0;
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => {
      entry.status = 502;
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('proxy: upstream failed');
    });
    req.pipe(up);
  });
  inner.keepAliveTimeout = 60_000;

  const outer = http.createServer((req, res) => {
    // A plain (non-CONNECT) proxy request: never forwarded.
    refused.push(`${req.method} ${req.url}`);
    res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' });
    res.end('proxy: refused');
  });
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  outer.on('connection', track);
  outer.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    const dest = String(req.url ?? '');
    const m = /^([^:]+):(\d+)$/.exec(dest);
    const host = m?.[1].toLowerCase() ?? '';
    if (!m || m[2] !== '443' || !hosts.has(host)) {
      refused.push(dest);
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length > 0) socket.unshift(head);
    const tlsSocket = new tls.TLSSocket(socket, { isServer: true, secureContext });
    (tlsSocket as tls.TLSSocket & { proxiedHost?: string }).proxiedHost = host;
    track(tlsSocket);
    tlsSocket.on('error', () => socket.destroy());
    socket.on('error', () => tlsSocket.destroy());
    inner.emit('connection', tlsSocket);
  });

  await new Promise<void>((resolve, reject) => {
    outer.once('error', reject);
    outer.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (outer.address() as AddressInfo).port;
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}`,
    caFile: ca.caFile,
    refused,
    forwarded,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => outer.close(() => resolve()));
      inner.close();
      if (ownCa) await ca.cleanup();
    },
  };
}
