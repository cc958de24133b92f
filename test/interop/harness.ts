// Shared set-up of the interoperability tests: the fake Identity Center, the TLS proxy in front of it
// for the real AWS CLI, a temporary HOME, and runners for our command line, the CLI and the JS SDK.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { main } from '../../src/cli/main';
import { FakeIdentityCenter, FakeOptions, FakeOp } from '../fakes/identityCenter';
import { tempHome, TempHome } from '../helpers/tempHome';
import { awsCli, AwsCliOptions, AwsCliResult } from './awsCli';
import { SsoProxy, ssoHosts, startSsoProxy, stsHosts } from './proxy';

export const START_URL = 'https://d-1234567890.awsapps.com/start';
export const REGION = 'us-east-1';

export interface Interop {
  fake: FakeIdentityCenter;
  proxy: SsoProxy;
  home: TempHome;
  /** Our command line, in process, pointed at the fake with AWS_ENDPOINT_URL_SSO*. */
  ours(argv: string[], o?: { openBrowser?: (url: string) => Promise<void>; env?: Record<string, string> }): Promise<{ code: number; text: string }>;
  /** The real AWS CLI through the proxy. Counts the run in `figures.cliRuns`. */
  aws(args: string[], o?: Partial<AwsCliOptions>): Promise<AwsCliResult>;
  /** `aws sso login --no-browser`, approving the code it prints on the fake. */
  awsLogin(session: string): Promise<AwsCliResult>;
  /** The real JS SDK in a child process. */
  sdk(mode: 'fromIni' | 'fromSSO', profile: string): Promise<{ code: number; out?: SdkCreds; stderr: string }>;
  /** Requests the fake received for each op while `fn` ran. */
  opsDuring<T>(fn: () => Promise<T>): Promise<{ result: T; ops: Partial<Record<FakeOp, number>> }>;
  tokenFile(session: string): string;
  readJson(file: string): Promise<Record<string, unknown>>;
  /** Rewrites the expiresAt of a token file, keeping every other byte of the JSON layout. */
  setExpiresAt(session: string, iso: string): Promise<void>;
  /** The SHA-256 of every secret the fake issued. */
  issuedHashes(): Set<string>;
  figures: { cliRuns: number; cliMs: number; sdkRuns: number; log: string[] };
  close(): Promise<void>;
}

export interface SdkCreds {
  accessKeyId: string;
  secretSha256: string;
  sessionTokenSha256: string;
  expiration?: string;
}

export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** The value of one `"key": "value"` pair, for assertions that must not print it. */
export function fingerprint(v: unknown): string {
  return typeof v === 'string' ? sha256(v).slice(0, 12) : String(v);
}

export async function startInterop(fakeOpts: FakeOptions = {}): Promise<Interop> {
  const fake = await FakeIdentityCenter.start({ accounts: 2, seed: 3, deviceInterval: 1, ...fakeOpts });
  const proxy = await startSsoProxy({ target: fake.url, hosts: [...ssoHosts(REGION), ...stsHosts(REGION)] });
  const home = await tempHome('aws-sso-interop-');
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  // The SDK clients we create in this process also read process.env (HOME, AWS_CONFIG_FILE, ...):
  // point them at the temporary home and drop every ambient AWS_* variable (each test file is its
  // own process, so this stays local to it).
  for (const k of Object.keys(process.env)) if (k.startsWith('AWS_')) delete process.env[k];
  Object.assign(process.env, home.env, { AWS_EC2_METADATA_DISABLED: 'true' });
  const figures = { cliRuns: 0, cliMs: 0, sdkRuns: 0, log: [] as string[] };
  const ourEnv = () => ({ ...home.env, ...fake.env(), AWS_EC2_METADATA_DISABLED: 'true' });

  const approveFromOutput = () => {
    let done = false;
    return (all: string) => {
      if (done) return;
      const m = /(?:^|\s)([B-DF-HJ-NP-TV-XZ]{4}-[B-DF-HJ-NP-TV-XZ]{4})(?:\s|$)/.exec(all);
      if (m) done = fake.approve(m[1]);
    };
  };

  const it: Interop = {
    fake,
    proxy,
    home,
    figures,
    async ours(argv, o = {}) {
      const out: string[] = [];
      const approve = approveFromOutput();
      const code = await main(argv, {
        env: { ...ourEnv(), ...o.env },
        openBrowser: o.openBrowser,
        stdout: (t) => out.push(t),
        stderr: (t) => {
          out.push(t);
          approve(out.join(''));
        },
      });
      return { code, text: out.join('') };
    },
    async aws(args, o = {}) {
      const r = await awsCli(args, { home: home.dir, proxy, timeoutMs: 60_000, ...o });
      figures.cliRuns++;
      figures.cliMs += r.ms;
      figures.log.push(`aws ${args.slice(0, 2).join(' ')} → ${r.code} in ${r.ms} ms`);
      return r;
    },
    awsLogin(session) {
      return it.aws(['sso', 'login', '--sso-session', session, '--no-browser'], { onOutput: approveFromOutput() });
    },
    async sdk(mode, profile) {
      figures.sdkRuns++;
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        ...(home.env as Record<string, string>),
        ...fake.env(),
        AWS_EC2_METADATA_DISABLED: 'true',
      };
      try {
        const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, 'sdk-credentials.ts'), mode, profile], {
          env,
          encoding: 'utf8',
          timeout: 60_000,
        });
        return { code: 0, out: JSON.parse(r.stdout) as SdkCreds, stderr: r.stderr };
      } catch (e) {
        const x = e as { code?: number; stderr?: string };
        return { code: typeof x.code === 'number' ? x.code : 1, stderr: x.stderr ?? String(e) };
      }
    },
    async opsDuring(fn) {
      const before = { ...fake.stats.requests };
      const result = await fn();
      const ops: Partial<Record<FakeOp, number>> = {};
      for (const [k, v] of Object.entries(fake.stats.requests)) {
        const d = (v ?? 0) - (before[k as FakeOp] ?? 0);
        if (d > 0) ops[k as FakeOp] = d;
      }
      return { result, ops };
    },
    tokenFile: (session) => join(home.paths.ssoCacheDir, `${sha1(session)}.json`),
    readJson: async (file) => JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>,
    async setExpiresAt(session, iso) {
      const file = it.tokenFile(session);
      const text = await readFile(file, 'utf8');
      const next = text.replace(/("expiresAt":\s*")[^"]*(")/, `$1${iso}$2`);
      if (next === text) throw new Error('setExpiresAt: no expiresAt in the token file');
      await writeFile(file, next);
    },
    issuedHashes: () => new Set(fake.issuedSecrets().map(sha256)),
    async close() {
      await proxy.close();
      await fake.close();
      await home.cleanup();
    },
  };
  return it;
}

/** `YYYY-MM-DDTHH:MM:SSZ` (the CLI's format) `ms` from now. */
export function cliTimeIn(ms: number): string {
  return new Date(Math.floor((Date.now() + ms) / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Files in ~/.aws/cli/cache holding SSO role credentials (`ProviderType: sso`). */
export async function cachedRoleCredentialFiles(home: TempHome): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(home.paths.cliCacheDir);
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const n of names) {
    try {
      const j = JSON.parse(await readFile(join(home.paths.cliCacheDir, n), 'utf8')) as { ProviderType?: string };
      if (j.ProviderType === 'sso') out.push(n);
    } catch {
      // not JSON: not a credential file
    }
  }
  return out.sort();
}

/** Parses `aws configure export-credentials` output without ever echoing it. */
export function parseExported(stdout: string): { accessKeyId: string; secretSha256: string; sessionTokenSha256: string; expiration?: string } {
  const j = JSON.parse(stdout) as { Version?: number; AccessKeyId: string; SecretAccessKey: string; SessionToken: string; Expiration?: string };
  if (j.Version !== 1) throw new Error('export-credentials: not the process-credentials format');
  return { accessKeyId: j.AccessKeyId, secretSha256: sha256(j.SecretAccessKey), sessionTokenSha256: sha256(j.SessionToken), expiration: j.Expiration };
}

export function fmtOps(ops: Partial<Record<string, number>>): string {
  return JSON.stringify(ops);
}
