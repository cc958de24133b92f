// A CONNECT proxy on 127.0.0.1 for the command line's proxy tests: it tunnels bytes (no TLS of its own,
// like most company proxies without inspection), optionally asks for Basic authentication, only ever
// connects to 127.0.0.1, and counts its tunnels so a test can prove the traffic went through it.
// Also an https front for the fake Identity Center (which serves plain http), so that the SDK really
// uses the tunnel (it proxies https targets only).
import http from 'node:http';
import https from 'node:https';
import net, { AddressInfo, Socket } from 'node:net';
import type { TestCa } from '../interop/proxy';

export interface ConnectProxy {
  /** `http://127.0.0.1:PORT`, with `user:password@` when authentication is on. */
  url: string;
  /** The same without credentials. */
  bareUrl: string;
  port: number;
  /** Tunnels opened (after authentication). */
  tunnels: number;
  /** CONNECTs answered 407 (no or wrong credentials). */
  rejected: number;
  /** Destinations refused (not 127.0.0.1). */
  refused: string[];
  close(): Promise<void>;
}

export interface ConnectProxyOptions {
  /** Require `Proxy-Authorization: Basic` with these. */
  auth?: { user: string; password: string };
}

export async function startConnectProxy(opts: ConnectProxyOptions = {}): Promise<ConnectProxy> {
  const sockets = new Set<Socket>();
  const expected = opts.auth ? `Basic ${Buffer.from(`${opts.auth.user}:${opts.auth.password}`).toString('base64')}` : undefined;
  const server = http.createServer((req, res) => {
    // Plain proxy requests (GET http://…) are not what this proxy is for.
    res.writeHead(405, { connection: 'close' });
    res.end();
  });
  const track = (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  };
  server.on('connection', track);
  const me: ConnectProxy = { url: '', bareUrl: '', port: 0, tunnels: 0, rejected: 0, refused: [], close: async () => {} };
  server.on('connect', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
    if (expected && req.headers['proxy-authorization'] !== expected) {
      me.rejected++;
      socket.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const m = /^127\.0\.0\.1:(\d+)$/.exec(String(req.url ?? ''));
    if (!m) {
      me.refused.push(String(req.url));
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    const up = net.connect(Number(m[1]), '127.0.0.1');
    track(up);
    up.once('connect', () => {
      me.tunnels++;
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) up.write(head);
      up.pipe(socket);
      socket.pipe(up);
    });
    up.on('error', () => socket.destroy());
    socket.on('error', () => up.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const cred = opts.auth ? `${encodeURIComponent(opts.auth.user)}:${encodeURIComponent(opts.auth.password)}@` : '';
  me.port = port;
  me.bareUrl = `http://127.0.0.1:${port}`;
  me.url = `http://${cred}127.0.0.1:${port}`;
  me.close = async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return me;
}

export interface HttpsFront {
  /** `https://127.0.0.1:PORT`: the value for AWS_ENDPOINT_URL_SSO / _SSO_OIDC. */
  url: string;
  close(): Promise<void>;
}

/** https on 127.0.0.1 in front of a plain-http loopback `target`, with a leaf of `ca` (made for 127.0.0.1). */
export async function startHttpsFront(target: string, ca: TestCa): Promise<HttpsFront> {
  const t = new URL(target);
  const sockets = new Set<Socket>();
  const server = https.createServer({ key: ca.key, cert: ca.cert }, (req, res) => {
    const up = http.request({ host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent: false }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(up);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.once('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
