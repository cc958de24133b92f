// The fake IAM Identity Center in its own process, driven over IPC by bench/run.ts.
//
// The benchmark's client and the fake must not share an event loop: at the throttle's limit the fake's
// own CPU (JSON, token bucket, request log) would otherwise delay the client's timers and make our wall
// time look worse than it is. Started with child_process.fork; argv[2] is the JSON FakeOptions.
import { FakeIdentityCenter, FakeOptions } from '../test/fakes/identityCenter';

type Req = { id: number; op: 'mint' | 'stats' | 'reset' | 'resetThrottle' | 'approve' | 'pending' | 'firstAccountsPage' | 'throttledAt' | 'close'; arg?: string };

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as FakeOptions;
  // Keep the request log small: 20,000 entries per run are not needed, only stats and the first page.
  const fake = await FakeIdentityCenter.start(opts);
  const send = (m: unknown) => process.send?.(m);
  process.on('message', (m: Req) => {
    let value: unknown;
    switch (m.op) {
      case 'mint':
        value = fake.mintToken().accessToken;
        break;
      case 'stats':
        value = { requests: { ...fake.stats.requests }, throttled: fake.stats.throttled, maxConcurrent: fake.stats.maxConcurrent };
        break;
      case 'reset':
        fake.resetStats();
        value = true;
        break;
      case 'resetThrottle':
        fake.resetThrottle();
        value = true;
        break;
      case 'approve': {
        const ok = fake.approve(m.arg ?? '');
        // Epoch ms with sub-millisecond precision, comparable with the parent's clock.
        value = { ok, at: performance.timeOrigin + performance.now() };
        break;
      }
      case 'pending':
        value = fake.pendingUserCodes();
        break;
      case 'firstAccountsPage': {
        const e = fake.requests.find((r) => r.op === 'accounts' && r.status === 200);
        value = e ? e.time : undefined;
        break;
      }
      case 'throttledAt': {
        // When each 429 was answered, in ms after the first portal request since the last reset.
        const portal = fake.requests.filter((r) => r.op === 'accounts' || r.op === 'roles');
        const first = portal[0]?.time ?? 0;
        value = portal.filter((r) => r.status === 429).map((r) => r.time - first);
        break;
      }
      case 'close':
        void fake.close().then(() => {
          send({ id: m.id, value: true });
          process.exit(0);
        });
        return;
    }
    send({ id: m.id, value });
  });
  process.on('disconnect', () => void fake.close().then(() => process.exit(0)));
  send({ ready: true, url: fake.url, env: fake.env() });
}

main().catch((e: unknown) => {
  process.stderr.write(`bench fake failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
