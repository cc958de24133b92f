// A plain-HTTP forwarder on 127.0.0.1 that can hold requests: put it between our code
// (AWS_ENDPOINT_URL_SSO_OIDC=gate.url) and the fake to order a race deterministically.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Gate {
  url: string;
  /** Holds the next request whose path is `path`; resolves once one is being held. */
  holdNext(path: string): Promise<void>;
  /** Lets every held request through. */
  release(): void;
  close(): Promise<void>;
}

export async function startGate(target: string): Promise<Gate> {
  const t = new URL(target);
  const holds: { path: string; onHeld: () => void }[] = [];
  const held: (() => void)[] = [];
  const server = http.createServer((req, res) => {
    const forward = () => {
      const up = http.request(
        { host: t.hostname, port: t.port, method: req.method, path: req.url, headers: req.headers, agent: false },
        (upRes) => {
          res.writeHead(upRes.statusCode ?? 502, upRes.headers);
          upRes.pipe(res);
        },
      );
      up.on('error', () => res.destroy());
      req.pipe(up);
    };
    const i = holds.findIndex((h) => h.path === new URL(req.url ?? '/', 'http://x').pathname);
    if (i >= 0) {
      const [h] = holds.splice(i, 1);
      req.pause();
      held.push(forward);
      h.onHeld();
    } else {
      forward();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    holdNext: (path) => new Promise<void>((resolve) => holds.push({ path, onHeld: resolve })),
    release: () => {
      for (const f of held.splice(0)) f();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
