// Runs the real AWS CLI v2 (/usr/bin/aws) asynchronously in a hermetic environment.
//
// Asynchronous on purpose: the fake Identity Center and the proxy serve from the test's own event
// loop, so a synchronous spawn would deadlock. The child gets a clean environment: no ambient
// AWS_* variable, HOME set to the temporary home, the proxy and its CA, no instance metadata.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

export const AWS_CLI = '/usr/bin/aws';

export interface AwsCliProxy {
  url: string;
  caFile: string;
}

export interface AwsCliOptions {
  /** The temporary HOME; ~/.aws lives under it. */
  home: string;
  /** HTTPS_PROXY and AWS_CA_BUNDLE; without it every network call would fail (there is no internet). */
  proxy?: AwsCliProxy;
  /** Written to stdin, then stdin is closed. */
  stdin?: string;
  /**
   * Drive an interactive command through a pseudo-terminal (util-linux `script`): each step
   * waits until the (escape-stripped) output since the previous step matches `expect`, then types `send`.
   */
  interactive?: { expect: RegExp; send: string }[];
  /** Called with all output so far (stdout + stderr) whenever more arrives. */
  onOutput?: (all: string) => void;
  timeoutMs?: number;
  /** Extra variables (e.g. AWS_PROFILE); nothing ambient is inherited. */
  env?: Record<string, string>;
}

export interface AwsCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  timedOut: boolean;
}

export function awsCliEnv(opts: Pick<AwsCliOptions, 'home' | 'proxy' | 'env'>): Record<string, string> {
  const env: Record<string, string> = {
    PATH: '/usr/bin:/bin',
    HOME: opts.home,
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    AWS_CLI_AUTO_PROMPT: 'off',
    // No browser may ever open.
    BROWSER: '/bin/false',
  };
  if (opts.proxy) {
    env.HTTPS_PROXY = opts.proxy.url;
    env.https_proxy = opts.proxy.url;
    env.AWS_CA_BUNDLE = opts.proxy.caFile;
  }
  for (const [k, v] of Object.entries(opts.env ?? {})) env[k] = v;
  return env;
}

let versionChecked: Promise<string> | undefined;

/** `aws --version`; throws unless it is the AWS CLI v2. Checked once per process. */
export function assertAwsCliV2(): Promise<string> {
  versionChecked ??= promisify(execFile)(AWS_CLI, ['--version'], { env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent' }, timeout: 30_000 }).then(
    ({ stdout, stderr }) => {
      const v = (stdout || stderr).trim();
      if (!v.startsWith('aws-cli/2.')) throw new Error(`${AWS_CLI} is not the AWS CLI v2: ${v}`);
      return v;
    },
  );
  return versionChecked;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[\]P^_][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]|\r/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export async function awsCli(args: string[], opts: AwsCliOptions): Promise<AwsCliResult> {
  await assertAwsCliV2();
  const env = awsCliEnv(opts);
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const steps = opts.interactive ? [...opts.interactive] : undefined;
  const [cmd, argv] = steps
    ? (['/usr/bin/script', ['-qfec', `stty cols 120 rows 40; exec ${[AWS_CLI, ...args].map(shQuote).join(' ')}`, '/dev/null']] as const)
    : ([AWS_CLI, args] as const);
  if (steps) {
    env.TERM = 'xterm';
    env.SHELL = '/bin/sh';
  }
  const child = spawn(cmd, [...argv], { env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let stdout = '';
  let stderr = '';
  let all = '';
  let mark = 0;
  let timedOut = false;

  let cprAnswered = 0;
  let sending = false;
  const advance = () => {
    if (!steps) return;
    // prompt_toolkit asks the terminal for the cursor position (ESC[6n) and waits for the answer.
    const cprAsked = all.split('\x1b[6n').length - 1;
    while (cprAnswered < cprAsked) {
      cprAnswered++;
      child.stdin.write('\x1b[1;1R');
    }
    if (sending || steps.length === 0) return;
    const seen = stripAnsi(all.slice(mark));
    if (!steps[0].expect.test(seen)) return;
    mark = all.length;
    const { send } = steps.shift()!;
    // Give the prompt a moment to switch the terminal to raw mode before typing.
    sending = true;
    setTimeout(() => {
      sending = false;
      child.stdin.write(send);
      advance();
    }, 150);
  };
  const onData = (which: 'out' | 'err') => (s: string) => {
    if (which === 'out') stdout += s;
    else stderr += s;
    all += s;
    opts.onOutput?.(all);
    advance();
  };
  child.stdout.setEncoding('utf8');
  child.stderr.setEncoding('utf8');
  child.stdout.on('data', onData('out'));
  child.stderr.on('data', onData('err'));
  child.stdin.on('error', () => undefined);
  if (!steps) {
    if (opts.stdin !== undefined) child.stdin.end(opts.stdin);
    else child.stdin.end();
  }

  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      child.kill('SIGKILL');
    }
  }, timeoutMs);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c, s) => resolve([c, s]));
  });
  clearTimeout(timer);
  return { code, signal, stdout, stderr, ms: Math.round(performance.now() - started), timedOut };
}
