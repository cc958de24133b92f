// 8. credential_process cold start: `node cli.js credentials --profile X` (the command a
// credential_process runs) against `aws configure export-credentials --profile X`, whole processes
// timed by hyperfine on the same files, with the role-credential cache warm (every call but the
// first in an hour) and cold (each run fetches from the fake, through the TLS proxy for the CLI).
// Goal (issue 11): ours ≤ 0.25 × the CLI's time.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTokenFile } from '../src/core/auth/tokenCache';
import { resolveAwsPaths } from '../src/core/paths';
import { ssoHosts, startSsoProxy } from '../test/interop/proxy';
import { FakeProcess } from './lib';

const AWS = '/usr/bin/aws';
const HYPERFINE = '/usr/bin/hyperfine';
export const CREDENTIALS_GOAL_RATIO = 0.25;

export interface CredentialsFigures {
  method: string;
  /** Medians in seconds. */
  oursWarmS: number;
  awsWarmS?: number;
  oursColdS: number;
  awsColdS?: number;
  nodeFloorS: number;
  ratioWarm?: number;
  ratioCold?: number;
  awsError?: string;
}

interface HyperfineResult {
  results: { command: string; median: number }[];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  // Asynchronous: the proxy serves the AWS CLI from this process's event loop.
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export async function benchCredentials(opts: { dist: string; runs: number; warmup?: number; log?: (s: string) => void }): Promise<CredentialsFigures> {
  if (!existsSync(HYPERFINE)) throw new Error(`no hyperfine at ${HYPERFINE}`);
  const fake = await FakeProcess.start({ accounts: 1 });
  const proxy = await startSsoProxy({ target: fake.url, hosts: ssoHosts('us-east-1') });
  const home = await mkdtemp(join(tmpdir(), 'aws-sso-bench-creds-'));
  try {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
      HTTPS_PROXY: proxy.url,
      AWS_CA_BUNDLE: proxy.caFile,
      ...fake.env,
    };
    const paths = resolveAwsPaths(env);
    const session = { name: 'bench', startUrl: 'https://d-9067000000.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
    await mkdir(join(home, '.aws'), { recursive: true });
    await writeFile(paths.configFile, `[sso-session bench]\nsso_start_url = ${session.startUrl}\nsso_region = us-east-1\n`);
    await writeTokenFile(paths, session, { startUrl: session.startUrl, region: 'us-east-1', accessToken: await fake.mintToken(), expiresAt: Date.now() + 50 * 60_000 });
    const cli = join(opts.dist, 'cli.js');
    const listing = await run(process.execPath, [cli, 'accounts', '--sso-session', 'bench', '--json'], env);
    const [account] = JSON.parse(listing.stdout) as { accountId: string; roles: string[] }[];
    if (!account) throw new Error(`no account from the fake: ${listing.stderr}`);
    await writeFile(paths.configFile, `\n[profile dev]\nsso_session = bench\nsso_account_id = ${account.accountId}\nsso_role_name = ${account.roles[0]}\nregion = us-east-1\n`, { flag: 'a' });

    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const ours = `${q(process.execPath)} ${q(cli)} credentials --profile dev`;
    const aws = `${AWS} configure export-credentials --profile dev`;
    const node = `${q(process.execPath)} -e 0`;
    let awsError: string | undefined;
    const check = await run('/bin/sh', ['-c', aws], env);
    if (check.code !== 0) awsError = `aws configure export-credentials failed: ${check.stderr.split('\n')[0]}`;
    const oursCheck = await run('/bin/sh', ['-c', ours], env);
    if (oursCheck.code !== 0) throw new Error(`credentials failed: ${oursCheck.stderr}`);

    const hyperfine = async (commands: string[], prepare?: string): Promise<number[]> => {
      const out = join(home, 'hf.json');
      const args = ['--style', 'none', '--warmup', String(opts.warmup ?? 2), '--runs', String(opts.runs), '--export-json', out];
      if (prepare) args.push('--prepare', prepare);
      const r = await run(HYPERFINE, [...args, ...commands], env);
      if (r.code !== 0) throw new Error(`hyperfine failed: ${r.stderr.slice(0, 500)}`);
      const j = JSON.parse(await readFile(out, 'utf8')) as HyperfineResult;
      return j.results.map((x) => x.median);
    };
    const withAws = awsError ? [] : [aws];
    const [oursWarmS, nodeFloorS, awsWarmS] = await hyperfine([ours, node, ...withAws]);
    const [oursColdS, awsColdS] = await hyperfine([ours, ...withAws], `rm -rf ${q(paths.cliCacheDir)}`);
    const f: CredentialsFigures = {
      method: `hyperfine, whole processes, ${opts.warmup ?? 2} warm-up(s) + ${opts.runs} runs, medians; cold = the role-credential cache removed before each run`,
      oursWarmS,
      awsWarmS,
      oursColdS,
      awsColdS,
      nodeFloorS,
      ratioWarm: awsWarmS ? oursWarmS / awsWarmS : undefined,
      ratioCold: awsColdS ? oursColdS / awsColdS : undefined,
      awsError,
    };
    const ms = (s?: number) => (s === undefined ? '–' : `${(s * 1000).toFixed(0)} ms`);
    opts.log?.(
      `  credentials: cached ${ms(oursWarmS)} vs aws ${ms(awsWarmS)} (ratio ${f.ratioWarm?.toFixed(3) ?? '–'}); ` +
        `fetched ${ms(oursColdS)} vs aws ${ms(awsColdS)} (ratio ${f.ratioCold?.toFixed(3) ?? '–'}); node -e 0 ${ms(nodeFloorS)}; goal ≤ ${CREDENTIALS_GOAL_RATIO}${awsError ? ` (${awsError})` : ''}`,
    );
    return f;
  } finally {
    await proxy.close();
    await fake.close();
    await rm(home, { recursive: true, force: true });
  }
}

// `node --import tsx bench/credentials.ts [dist] [runs]`: this part alone.
if (require.main === module) {
  benchCredentials({ dist: process.argv[2] ?? join(__dirname, '..', 'dist'), runs: Number(process.argv[3] ?? 10), log: (s) => process.stdout.write(`${s}\n`) }).then(
    (f) => process.stdout.write(`${JSON.stringify(f, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
