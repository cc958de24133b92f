// 6. Sign-in latency: from the fake approving the device code to the token file on disk.
//
// Device flow with a 1 s polling interval against the fake (its own process). Each run approves at a
// different phase of the polling cycle (spread evenly over it), so the median is the typical user's
// wait and the maximum the worst case (approval just after a poll: one interval plus our overhead).
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SsoAuth } from '../src/core/auth/session';
import { tokenFilePath } from '../src/core/auth/tokenCache';
import { resolveAwsPaths } from '../src/core/paths';
import type { SsoSession } from '../src/core/types';
import { epochNow, FakeProcess, median, sleep } from './lib';

export interface SignInFigures {
  intervalS: number;
  runsMs: number[];
  medianMs: number;
  maxMs: number;
  /** Phases of the polling cycle at which each run approved (share of the interval). */
  phases: number[];
}

export async function benchSignIn(repeats: number, log: (s: string) => void = () => {}): Promise<SignInFigures> {
  const intervalS = 1;
  const fake = await FakeProcess.start({ accounts: 3, deviceInterval: intervalS });
  const home = await mkdtemp(join(tmpdir(), 'aws-sso-bench-signin-'));
  const runs: number[] = [];
  const phases: number[] = [];
  try {
    for (let i = 0; i < repeats; i++) {
      const env = { ...fake.env, HOME: join(home, String(i)) };
      const paths = resolveAwsPaths(env);
      const session: SsoSession = { name: `bench-${i}`, startUrl: 'https://d-9067000000.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
      const file = tokenFilePath(paths, session);
      const auth = new SsoAuth({ paths, env });
      const phase = (i + 0.5) / repeats;
      phases.push(phase);
      let approvedAt: number | undefined;
      let seenAt: number | undefined;
      // Approve ~1.5 intervals into the flow plus the phase: the first poll (at 1 interval) has come
      // back pending by then, so the approval lands inside a regular polling cycle.
      const login = auth.loginWithDeviceCode(session, {
        onPrompt: (p) => {
          const promptedAt = epochNow();
          void (async () => {
            await sleep((1.2 + phase) * intervalS * 1000);
            const r = await fake.approve(p.userCode);
            if (!r.ok) throw new Error('the fake did not accept the approval');
            approvedAt = r.at;
            void promptedAt;
          })();
        },
      });
      // Watch for the file (atomic rename): checking every millisecond costs nothing measurable.
      const watcher = setInterval(() => {
        if (seenAt === undefined && existsSync(file)) seenAt = epochNow();
      }, 1);
      try {
        await login;
        for (let k = 0; seenAt === undefined && k < 1000; k++) await sleep(1);
      } finally {
        clearInterval(watcher);
      }
      if (approvedAt === undefined || seenAt === undefined) throw new Error('sign-in finished without an approval or a token file');
      const ms = seenAt - approvedAt;
      runs.push(ms);
      log(`  sign-in #${i + 1}: approved at phase ${phase.toFixed(2)} of the interval, token file ${ms.toFixed(0)} ms later`);
    }
  } finally {
    await fake.close();
    await rm(home, { recursive: true, force: true });
  }
  return { intervalS, runsMs: runs, medianMs: median(runs), maxMs: Math.max(...runs), phases };
}
