// Copy Credentials' formats read by the real programs: the `aws configure set` lines run in bash
// against the real AWS CLI v2, and the `.env` lines read by the real Docker client (against a fake
// engine on a Unix socket that records the container it is asked to create) and by python-dotenv.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { formatCredentialsAsConfigureCommands, formatCredentialsAsDotenv } from '../../../src/core/credentials';
import { RoleCredentials } from '../../../src/core/types';
import { assertAwsCliV2, awsCli, awsCliEnv } from '../../interop/awsCli';
import { TempHome, tempHome } from '../../helpers/tempHome';

const run = promisify(execFile);

const CREDS: RoleCredentials = {
  accessKeyId: 'ASIAQWERTYUIOPASDFGH',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKY',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def=',
  expiration: Date.UTC(2026, 2, 1, 17, 0, 0),
};

let home: TempHome;

before(async () => {
  home = await tempHome('copy-formats-');
  await mkdir(join(home.dir, '.aws'), { recursive: true });
});

after(() => home.cleanup());

/** Runs a pasted bash script as a user would: `aws` is whatever PATH finds (/usr/bin/aws here). */
async function pasteIntoBash(script: string): Promise<void> {
  const env = awsCliEnv({ home: home.dir });
  await run('bash', ['-c', `set -e\n${script}`], { env, timeout: 120_000 });
}

test('aws configure set lines, run in bash, make the AWS CLI write exactly those values; it then resolves them', { skip: process.platform === 'win32' }, async () => {
  await assertAwsCliV2();
  const hand = '# my own keys\n[mine]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = keep-me\n';
  await writeFile(home.paths.credentialsFile, hand, { mode: 0o600 });
  // Everything printable that the credentials file can hold, shell metacharacters included, and a
  // name that starts with `-` and has every other character a name may have.
  const odd: RoleCredentials = {
    accessKeyId: `ASIA'$(id)\`id\`;|&<>*?~!%^"`,
    secretAccessKey: 'a#b;c$HOME\\d[e]{f}(g)=h,i@j:k/l.m+n',
    sessionToken: `tok'"'"'en==`,
    expiration: CREDS.expiration,
  };
  const oddName = '-odd@x+y%z:w/v.u_1';
  await pasteIntoBash(formatCredentialsAsConfigureCommands(CREDS, 'bash', 'portal-dev', { region: 'eu-west-1' }));
  await pasteIntoBash(formatCredentialsAsConfigureCommands(odd, 'bash', oddName));

  const text = await readFile(home.paths.credentialsFile, 'utf8');
  assert.ok(text.startsWith(hand), 'the sections already there are kept');
  const section = (name: string, c: RoleCredentials) =>
    `[${name}]\naws_access_key_id = ${c.accessKeyId}\naws_secret_access_key = ${c.secretAccessKey}\naws_session_token = ${c.sessionToken}\n`;
  assert.ok(text.includes(section('portal-dev', CREDS)), text);
  assert.ok(text.includes(section(oddName, odd)), text);
  assert.match(await readFile(home.paths.configFile, 'utf8'), /^\[profile portal-dev\]\nregion = eu-west-1\n/m);

  // The CLI resolves both profiles to exactly those keys.
  for (const [name, c] of [['portal-dev', CREDS], [oddName, odd]] as const) {
    const r = await awsCli(['configure', 'export-credentials', `--profile=${name}`, '--format', 'process'], { home: home.dir });
    assert.equal(r.code, 0, r.stderr);
    const got = JSON.parse(r.stdout) as Record<string, string>;
    assert.deepEqual([got.AccessKeyId, got.SecretAccessKey, got.SessionToken], [c.accessKeyId, c.secretAccessKey, c.sessionToken], name);
  }
  // And so does the JavaScript SDK's reader.
  const { credentialsFile } = await loadSharedConfigFiles({ filepath: home.paths.credentialsFile, configFilepath: home.paths.configFile, ignoreCache: true });
  assert.equal(credentialsFile['portal-dev'].aws_session_token, CREDS.sessionToken);
  assert.equal(credentialsFile[oddName].aws_secret_access_key, odd.secretAccessKey);
});

/** Every value formatCredentialsAsDotenv accepts among printable ASCII at each position, as a `.env` file of V_i lines. */
function acceptedValues(): { values: string[]; file: string } {
  const values: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    for (const v of [`${ch}AB`, `A${ch}B`, `AB${ch}`, `${ch}AB${ch}`, `${ch}${ch}`]) {
      try {
        formatCredentialsAsDotenv({ ...CREDS, sessionToken: v });
        values.push(v);
      } catch {
        // refused: the unit tests check why
      }
    }
  }
  const real = formatCredentialsAsDotenv(CREDS, { region: 'eu-west-1' });
  const file = real + values.map((v, i) => `V_${i}=${formatCredentialsAsDotenv({ ...CREDS, sessionToken: v }).match(/^AWS_SESSION_TOKEN=(.*)$/m)![1]}\n`).join('');
  return { values, file };
}

function expected(values: string[]): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDS.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: '2026-03-01T17:00:00.000Z',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
    ...Object.fromEntries(values.map((v, i) => [`V_${i}`, v])),
  };
}

const hasDocker = spawnSync('docker', ['--version'], { encoding: 'utf8' }).status === 0;

test('.env lines: the real Docker client passes every value as written (docker create --env-file)', { skip: !hasDocker && 'no docker client' }, async () => {
  const { values, file } = acceptedValues();
  assert.ok(values.length > 250, `${values.length} values`);
  const envFile = join(home.dir, 'creds.env');
  await writeFile(envFile, file, { mode: 0o600 });
  // A fake engine: answers the ping and records the container the client asks for.
  const socket = join(home.dir, 'engine.sock');
  let created: { Env?: string[] } | undefined;
  const engine = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      res.setHeader('Api-Version', '1.47');
      res.setHeader('Content-Type', 'application/json');
      if (req.url?.endsWith('/_ping')) return void res.end('OK');
      if (req.method === 'POST' && /\/containers\/create/.test(req.url ?? '')) created = JSON.parse(body);
      res.statusCode = 500;
      res.end(JSON.stringify({ message: 'fake engine: nothing is run' }));
    });
  });
  await new Promise<void>((resolve) => engine.listen(socket, resolve));
  try {
    const r = await run('docker', ['create', '--env-file', envFile, 'alpine'], {
      env: { PATH: process.env.PATH, HOME: home.dir, DOCKER_HOST: `unix://${socket}`, DOCKER_CONFIG: join(home.dir, '.docker') },
      timeout: 60_000,
    }).catch((e: { stderr?: string }) => e);
    assert.ok(created?.Env, `no container request reached the engine: ${JSON.stringify(r).slice(0, 300)}`);
    const got = Object.fromEntries(created.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    assert.deepEqual(got, expected(values));
  } finally {
    await new Promise<void>((resolve) => engine.close(() => resolve()));
    await rm(socket, { force: true });
  }
});

const hasPythonDotenv = spawnSync('python3', ['-c', 'import dotenv'], { encoding: 'utf8' }).status === 0;

test('.env lines: python-dotenv reads every value as written', { skip: !hasPythonDotenv && 'python-dotenv is not installed' }, async () => {
  const { values, file } = acceptedValues();
  const envFile = join(home.dir, 'py.env');
  await writeFile(envFile, file, { mode: 0o600 });
  const { stdout } = await run('python3', ['-c', 'import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1])))', envFile], {
    env: { PATH: process.env.PATH, HOME: home.dir },
    timeout: 60_000,
  });
  assert.deepEqual(JSON.parse(stdout), expected(values));
});
