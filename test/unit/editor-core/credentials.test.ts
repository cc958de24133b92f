// Tests role credentials as shell commands, `aws configure set` commands, `.env` lines and in the
// shared credentials file.
//
// Shell output is quoted against hostile values; `.env` lines are read alike by Docker's and
// dotenv's documented rules; the file edit is lossless, private and readable by the AWS SDK.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import {
  cmdCanCarry,
  formatCredentialsAsConfigureCommands,
  formatCredentialsAsDotenv,
  formatCredentialsAsEnv,
  setCredentialsSection,
  writeCredentialsProfile,
} from '../../../src/core/credentials';
import { isSsoError } from '../../../src/core/errors';
import { RoleCredentials } from '../../../src/core/types';
import { tempHome } from '../../helpers/tempHome';

const CREDS: RoleCredentials = {
  accessKeyId: 'ASIAQWERTYUIOPASDFGH',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYzEXAMPLEKY',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def=',
  expiration: Date.UTC(2026, 2, 1, 17, 0, 0),
};

const isolated = process.platform === 'win32' ? test.skip : test;

// ---- shells -------------------------------------------------------------------------------------

isolated('bash: hostile values come back byte for byte and nothing runs', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const canary = join(home.dir, 'pwned');
  const hostile: RoleCredentials = {
    accessKeyId: `AKIA'$(touch ${canary})'`,
    secretAccessKey: `a\`touch ${canary}\`b"c\\d$HOME;e|f&g>h<i*?[j]~!k#l`,
    sessionToken: `'; touch ${canary}; echo '`,
    expiration: CREDS.expiration,
  };
  const script = formatCredentialsAsEnv(hostile, 'bash', { region: 'eu-west-1' });
  const dump = `${script}\nprintf '%s\\0' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN" "$AWS_REGION" "$AWS_DEFAULT_REGION" "$AWS_CREDENTIAL_EXPIRATION"`;
  for (const sh of ['bash', 'sh']) {
    const r = spawnSync(sh, ['-c', dump], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home.dir } });
    assert.equal(r.status, 0, r.stderr);
    const [id, secret, token, region, region2, exp] = r.stdout.split('\0');
    assert.equal(id, hostile.accessKeyId);
    assert.equal(secret, hostile.secretAccessKey);
    assert.equal(token, hostile.sessionToken);
    assert.equal(region, 'eu-west-1');
    assert.equal(region2, 'eu-west-1');
    assert.equal(exp, '2026-03-01T17:00:00.000Z');
  }
  assert.equal(existsSync(canary), false, 'no command substitution ran');
});

test('bash: one export per line, no trailing newline', () => {
  const out = formatCredentialsAsEnv(CREDS, 'bash');
  assert.deepEqual(out.split('\n').map((l) => l.split('=')[0]), [
    'export AWS_ACCESS_KEY_ID',
    'export AWS_SECRET_ACCESS_KEY',
    'export AWS_SESSION_TOKEN',
    'export AWS_CREDENTIAL_EXPIRATION',
  ]);
  assert.ok(!out.endsWith('\n'));
  assert.ok(out.includes(`export AWS_SECRET_ACCESS_KEY='${CREDS.secretAccessKey}'`));
});

/** PowerShell's single-quoted string literal, read back: '' (or a doubled typographic quote) is one quote. */
function readPowerShellLiteral(s: string): string {
  const quotes = "'\u2018\u2019\u201a\u201b";
  assert.ok(quotes.includes(s[0]), 'starts with a quote');
  let out = '';
  let i = 1;
  for (;;) {
    assert.ok(i < s.length, 'unterminated');
    const c = s[i];
    if (quotes.includes(c)) {
      if (i + 1 < s.length && quotes.includes(s[i + 1])) {
        out += c;
        i += 2;
        continue;
      }
      assert.equal(i, s.length - 1, 'the literal ends at the end of the line');
      return out;
    }
    out += c;
    i++;
  }
}

test('powershell: single-quoted, quotes (typographic ones too) doubled, $ and ` left literal', () => {
  const hostile: RoleCredentials = {
    accessKeyId: "AKIA'; Remove-Item -Recurse C:\\; '",
    secretAccessKey: 'x\u2019; calc; \u2018y$(calc)`n$env:PATH',
    sessionToken: 'tok"en\'s',
    expiration: CREDS.expiration,
  };
  const lines = formatCredentialsAsEnv(hostile, 'powershell', { region: 'us-east-1' }).split('\n');
  const got = Object.fromEntries(
    lines.map((l) => {
      const m = /^\$Env:([A-Z_]+) = (.*)$/.exec(l);
      assert.ok(m, l);
      return [m[1], readPowerShellLiteral(m[2])];
    }),
  );
  assert.equal(got.AWS_ACCESS_KEY_ID, hostile.accessKeyId);
  assert.equal(got.AWS_SECRET_ACCESS_KEY, hostile.secretAccessKey);
  assert.equal(got.AWS_SESSION_TOKEN, hostile.sessionToken);
  assert.equal(got.AWS_REGION, 'us-east-1');
  assert.ok(lines[1].includes('\u2019\u2019') && lines[1].includes('\u2018\u2018'));
});

test('cmd: set "NAME=value" for real credentials; %, !, ", ^ and non-ASCII are refused', () => {
  const out = formatCredentialsAsEnv(CREDS, 'cmd', { region: 'eu-central-1' }).split('\n');
  assert.equal(out[0], `set "AWS_ACCESS_KEY_ID=${CREDS.accessKeyId}"`);
  assert.equal(out[2], `set "AWS_SESSION_TOKEN=${CREDS.sessionToken}"`);
  assert.ok(out.includes('set "AWS_DEFAULT_REGION=eu-central-1"'));
  // Metacharacters that quoting does neutralise for cmd are fine.
  assert.match(formatCredentialsAsEnv({ ...CREDS, secretAccessKey: 'a&b|c<d>e(f)' }, 'cmd'), /set "AWS_SECRET_ACCESS_KEY=a&b\|c<d>e\(f\)"/);
  for (const bad of ['%PATH%', 'a!b!', 'a"&calc', 'a^b', 'caf\u00e9']) {
    assert.throws(
      () => formatCredentialsAsEnv({ ...CREDS, sessionToken: `SECRET-${bad}` }, 'cmd'),
      (e: unknown) => isSsoError(e, 'BadResponse') && /session token/.test(e.message) && !e.message.includes('SECRET-'),
    );
  }
});

test('every shell refuses control characters and missing fields, without echoing the value', () => {
  for (const shell of ['bash', 'powershell', 'cmd'] as const) {
    assert.throws(
      () => formatCredentialsAsEnv({ ...CREDS, secretAccessKey: 'SECRETVALUE\nrm -rf /' }, shell),
      (e: unknown) => isSsoError(e, 'BadResponse') && !e.message.includes('SECRETVALUE'),
    );
    assert.throws(() => formatCredentialsAsEnv({ ...CREDS, sessionToken: '' }, shell), (e: unknown) => isSsoError(e, 'BadResponse'));
  }
  assert.throws(() => formatCredentialsAsEnv(CREDS, 'bash', { region: 'eu-west-1; rm -rf /' }), (e: unknown) => isSsoError(e, 'InvalidInput'));
});

// ---- aws configure set ------------------------------------------------------------------------

/** The words of one `aws configure set` line as bash hands them to the program. */
function bashWords(script: string): string[][] {
  // `aws` is a function here: each call prints its arguments, NUL-separated, one call per line.
  const r = spawnSync('bash', ['-c', `aws() { printf '%s\\0' "$@"; printf '\\n'; }\n${script}`], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => l.split('\0').slice(0, -1));
}

test('aws configure set, bash: three keys and the region, each value and the name one word', () => {
  const out = formatCredentialsAsConfigureCommands(CREDS, 'bash', 'dev.admin', { region: 'eu-west-1' });
  assert.equal(
    out,
    [
      `aws configure set aws_access_key_id '${CREDS.accessKeyId}' --profile 'dev.admin'`,
      `aws configure set aws_secret_access_key '${CREDS.secretAccessKey}' --profile 'dev.admin'`,
      `aws configure set aws_session_token '${CREDS.sessionToken}' --profile 'dev.admin'`,
      `aws configure set region 'eu-west-1' --profile 'dev.admin'`,
    ].join('\n'),
  );
  assert.equal(formatCredentialsAsConfigureCommands(CREDS, 'bash', 'x').split('\n').length, 3, 'no region line without a region');
});

isolated('aws configure set, bash: hostile values reach the program byte for byte and nothing runs', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const canary = join(home.dir, 'pwned');
  const hostile: RoleCredentials = {
    accessKeyId: `AKIA'$(touch$IFS${canary})'`,
    secretAccessKey: `a\`touch$IFS${canary}\`b"c\\d$HOME;e|f&g>h<i*?[j]~!k#l`,
    sessionToken: `';touch$IFS${canary};echo'`,
    expiration: CREDS.expiration,
  };
  const words = bashWords(formatCredentialsAsConfigureCommands(hostile, 'bash', 'a@b+c%d:e/f', { region: 'us-west-2' }));
  assert.deepEqual(words, [
    ['configure', 'set', 'aws_access_key_id', hostile.accessKeyId, '--profile', 'a@b+c%d:e/f'],
    ['configure', 'set', 'aws_secret_access_key', hostile.secretAccessKey, '--profile', 'a@b+c%d:e/f'],
    ['configure', 'set', 'aws_session_token', hostile.sessionToken, '--profile', 'a@b+c%d:e/f'],
    ['configure', 'set', 'region', 'us-west-2', '--profile', 'a@b+c%d:e/f'],
  ]);
  assert.equal(existsSync(canary), false, 'no command substitution ran');
});

test('aws configure set: a name starting with - goes as --profile=NAME, the one form argparse reads', () => {
  const words = bashWords(formatCredentialsAsConfigureCommands(CREDS, 'bash', '-dev'));
  assert.deepEqual(words[0].slice(-1), ['--profile=-dev']);
  assert.match(formatCredentialsAsConfigureCommands(CREDS, 'powershell', '-dev'), / '--profile=-dev'$/m);
  assert.match(formatCredentialsAsConfigureCommands(CREDS, 'cmd', '-dev'), / "--profile=-dev"$/m);
});

test('aws configure set, PowerShell: single-quoted words; a double quote (lost by Windows PowerShell) is refused', () => {
  // (Typographic quotes are not ASCII: the credentials file's rule refuses them before any quoting.)
  const hostile: RoleCredentials = { ...CREDS, secretAccessKey: "x'$(calc)`n';calc;''$env:PATH" };
  const lines = formatCredentialsAsConfigureCommands(hostile, 'powershell', 'dev', { region: 'us-east-1' }).split('\n');
  const got = lines.map((l) => {
    const m = /^aws configure set ([a-z_]+) ('.*') --profile ('.*')$/.exec(l);
    assert.ok(m, l);
    return [m[1], readPowerShellLiteral(m[2]), readPowerShellLiteral(m[3])];
  });
  assert.deepEqual(got, [
    ['aws_access_key_id', CREDS.accessKeyId, 'dev'],
    ['aws_secret_access_key', hostile.secretAccessKey, 'dev'],
    ['aws_session_token', CREDS.sessionToken, 'dev'],
    ['region', 'us-east-1', 'dev'],
  ]);
  assert.throws(
    () => formatCredentialsAsConfigureCommands({ ...CREDS, sessionToken: 'SECRET"x' }, 'powershell', 'dev'),
    (e: unknown) => isSsoError(e, 'BadResponse') && /session token/.test(e.message) && !e.message.includes('SECRET'),
  );
});

/**
 * How a Windows program's C runtime splits its command line (CommandLineToArgvW's documented
 * rules): 2n backslashes before a quote are n backslashes and the quote toggles quoting; 2n+1
 * are n and a literal quote; other backslashes are literal.
 */
function windowsArgv(line: string): string[] {
  const args: string[] = [];
  let cur = '';
  let inQuotes = false;
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\') {
      let n = 0;
      while (line[i] === '\\') (n++, i++);
      if (line[i] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else inQuotes = !inQuotes;
      } else {
        cur += '\\'.repeat(n);
        i--;
      }
      has = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      has = true;
    } else if (c === ' ' && !inQuotes) {
      if (has) args.push(cur);
      cur = '';
      has = false;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) args.push(cur);
  return args;
}

test('aws configure set, cmd: double-quoted arguments read back by the C runtime rules; %, !, ", ^ and non-ASCII refused', () => {
  const odd: RoleCredentials = { ...CREDS, secretAccessKey: 'a&b|c<d>e(f)g\\h\\', sessionToken: 'tok\\\\' };
  const lines = formatCredentialsAsConfigureCommands(odd, 'cmd', 'dev/x', { region: 'eu-central-1' }).split('\n');
  assert.equal(lines[0], `aws configure set aws_access_key_id "${CREDS.accessKeyId}" --profile "dev/x"`);
  assert.deepEqual(
    lines.map(windowsArgv),
    [
      ['aws', 'configure', 'set', 'aws_access_key_id', CREDS.accessKeyId, '--profile', 'dev/x'],
      ['aws', 'configure', 'set', 'aws_secret_access_key', odd.secretAccessKey, '--profile', 'dev/x'],
      ['aws', 'configure', 'set', 'aws_session_token', odd.sessionToken, '--profile', 'dev/x'],
      ['aws', 'configure', 'set', 'region', 'eu-central-1', '--profile', 'dev/x'],
    ],
  );
  for (const bad of ['%PATH%', 'a!b!', 'a"&calc', 'a^b']) {
    assert.throws(
      () => formatCredentialsAsConfigureCommands({ ...CREDS, sessionToken: `SECRET-${bad}` }, 'cmd', 'dev'),
      (e: unknown) => isSsoError(e, 'BadResponse') && /session token/.test(e.message) && !e.message.includes('SECRET-'),
      bad,
    );
  }
  // A name cmd.exe would expand is the user's input: InvalidInput, and the same rule the wizard checks.
  assert.equal(cmdCanCarry('a%PATH%b'), false);
  assert.throws(() => formatCredentialsAsConfigureCommands(CREDS, 'cmd', 'a%PATH%b'), (e: unknown) => isSsoError(e, 'InvalidInput'));
  assert.doesNotThrow(() => formatCredentialsAsConfigureCommands(CREDS, 'bash', 'a%PATH%b'));
});

test('aws configure set: what the credentials file or the CLI cannot carry is refused, in every shell, without echoing it', () => {
  // White space, non-ASCII and control characters: the credentials file's rule. A leading `-`:
  // argparse takes it for an option. A URI: the CLI would load the file it names.
  for (const bad of ['SECRET x', 'SECRET\tx', 'SECRET\u00e9', 'SECRET\nx', '-SECRET', 'file:///SECRET', 'fileb://SECRET', 'FILE://SECRET']) {
    for (const shell of ['bash', 'powershell', 'cmd'] as const) {
      assert.throws(
        () => formatCredentialsAsConfigureCommands({ ...CREDS, secretAccessKey: bad }, shell, 'dev'),
        (e: unknown) => isSsoError(e, 'BadResponse') && /secret access key/.test(e.message) && !e.message.includes('SECRET'),
        `${shell}: ${JSON.stringify(bad)}`,
      );
    }
  }
  // A `:` later in a value is fine (no scheme at its start).
  assert.doesNotThrow(() => formatCredentialsAsConfigureCommands({ ...CREDS, sessionToken: 'abc/def://x' }, 'bash', 'dev'));
  // Names: the credentials file's rule (names.ts).
  for (const name of ['', 'has space', 'a]b', 'DEFAULT', '__proto__', 'x'.repeat(129), "it's"]) {
    assert.throws(() => formatCredentialsAsConfigureCommands(CREDS, 'bash', name), (e: unknown) => isSsoError(e, 'InvalidInput'), name);
  }
  assert.throws(() => formatCredentialsAsConfigureCommands(CREDS, 'bash', 'dev', { region: 'eu-west-1; rm -rf /' }), (e: unknown) => isSsoError(e, 'InvalidInput'));
});

// ---- .env lines ---------------------------------------------------------------------------------

/**
 * Docker's --env-file, as documented: a line is VAR=VAL, VAR alone takes the value from the
 * environment, lines starting with # are comments, leading white space is dropped, and the value
 * is everything after the first `=`, as it is (no quotes removed, nothing expanded).
 */
function readDockerEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const l = raw.replace(/\r$/, '').replace(/^\s+/, '');
    if (l === '' || l.startsWith('#')) continue;
    const i = l.indexOf('=');
    assert.ok(i > 0, `a line with no value: ${l}`);
    const name = l.slice(0, i);
    assert.ok(!/\s/.test(name), `variable '${name}' contains whitespaces`);
    out[name] = l.slice(i + 1);
  }
  return out;
}

/**
 * The npm `dotenv` package's rules, as its documentation gives them: `KEY=VAL` (an optional
 * `export `), white space around the value trimmed, a value in matching single, double or back
 * quotes taken from inside them (`\n` expanded in double quotes), and an unquoted value cut at `#`.
 */
function readDotenv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const LINE = /^\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|\s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?$/gm;
  for (const m of text.replace(/\r\n?/g, '\n').matchAll(LINE)) {
    let v = (m[2] ?? '').trim();
    const quote = v[0];
    v = v.replace(/^(['"`])([\s\S]*)\1$/, '$2');
    if (quote === '"') v = v.replace(/\\n/g, '\n').replace(/\\r/g, '\r');
    out[m[1]] = v;
  }
  return out;
}

test('.env: KEY=VALUE lines Docker and dotenv both read as the credentials', () => {
  const out = formatCredentialsAsDotenv(CREDS, { region: 'eu-west-1' });
  const want = {
    AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
    AWS_SESSION_TOKEN: CREDS.sessionToken,
    AWS_CREDENTIAL_EXPIRATION: '2026-03-01T17:00:00.000Z',
    AWS_REGION: 'eu-west-1',
    AWS_DEFAULT_REGION: 'eu-west-1',
  };
  assert.equal(out, Object.entries(want).map(([k, v]) => `${k}=${v}\n`).join(''));
  assert.deepEqual(readDockerEnvFile(out), want);
  assert.deepEqual(readDotenv(out), want);
  assert.ok(!out.includes('export'), 'Docker would take "export NAME" for a variable name with white space');
});

test('.env: every value written is read the same by Docker and dotenv; values they read differently are refused', () => {
  // Every printable ASCII character, at the start, inside, at the end and around a value.
  let written = 0;
  for (let c = 0x20; c < 0x7f; c++) {
    const ch = String.fromCharCode(c);
    for (const v of [`${ch}AB`, `A${ch}B`, `AB${ch}`, `${ch}AB${ch}`]) {
      let out: string;
      try {
        out = formatCredentialsAsDotenv({ ...CREDS, sessionToken: v });
      } catch (e) {
        assert.ok(isSsoError(e, 'BadResponse') && /session token/.test(e.message), String(e));
        continue;
      }
      written++;
      assert.equal(readDockerEnvFile(out).AWS_SESSION_TOKEN, v, `docker: ${JSON.stringify(v)}`);
      assert.equal(readDotenv(out).AWS_SESSION_TOKEN, v, `dotenv: ${JSON.stringify(v)}`);
    }
  }
  assert.ok(written > 250, `${written} values written`);
  // The ones the readers disagree on are among those refused: quotes, #, white space, $ and \.
  for (const bad of [`'SECRET'`, '"SECRET"', '`SECRET`', 'SECRET #x', 'SECRET#x', ' SECRET', 'SECRET ', '${SECRET}', '$SECRET', 'SE\\nCRET', 'SECRET\u00e9']) {
    const docker = readDockerEnvFile(`X=${bad}\n`).X;
    const dotenv = readDotenv(`X=${bad}\n`).X;
    assert.ok(docker !== dotenv || /[$\\\u0080-\uffff]/.test(bad), `${bad}: the readers agree, yet it is refused`);
    assert.throws(
      () => formatCredentialsAsDotenv({ ...CREDS, secretAccessKey: bad }),
      (e: unknown) => isSsoError(e, 'BadResponse') && /secret access key/.test(e.message) && !e.message.includes('SECRET'),
      bad,
    );
  }
  assert.throws(() => formatCredentialsAsDotenv({ ...CREDS, accessKeyId: '' }), (e: unknown) => isSsoError(e, 'BadResponse'));
  assert.throws(() => formatCredentialsAsDotenv(CREDS, { region: 'x y' }), (e: unknown) => isSsoError(e, 'InvalidInput'));
});

// ---- the credentials file ---------------------------------------------------------------------

const EXISTING = [
  '# Managed by hand. Do not share.',
  '[default]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
  '[dev]',
  '; the old temporary keys',
  'AWS_Access_Key_Id=ASIAOLDOLDOLDOLDOLD1',
  'aws_secret_access_key :  oldsecret',
  'aws_session_token = oldtoken',
  '   continued',
  'region = us-west-2',
  '',
  '[other]',
  'aws_access_key_id = AKIAOTHEROTHEROTHER1',
  'aws_secret_access_key = other',
].join('\r\n');

async function sdkCredentials(file: string, configDir: string) {
  const { credentialsFile } = await loadSharedConfigFiles({
    filepath: file,
    configFilepath: join(configDir, 'no-such-config'),
    ignoreCache: true,
  });
  return JSON.parse(JSON.stringify(credentialsFile)) as Record<string, Record<string, string>>;
}

test('a new credentials file: created 0600 in a private folder, read by the SDK', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const file = home.paths.credentialsFile;
  const r = await writeCredentialsProfile(file, 'dev', CREDS, { region: 'eu-west-1' });
  assert.equal(r.backupPath, undefined);
  const text = await readFile(file, 'utf8');
  assert.equal(
    text,
    `[dev]\naws_access_key_id = ${CREDS.accessKeyId}\naws_secret_access_key = ${CREDS.secretAccessKey}\naws_session_token = ${CREDS.sessionToken}\nregion = eu-west-1\n`,
  );
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
  const sdk = await sdkCredentials(file, home.dir);
  assert.deepEqual(sdk.dev, {
    aws_access_key_id: CREDS.accessKeyId,
    aws_secret_access_key: CREDS.secretAccessKey,
    aws_session_token: CREDS.sessionToken,
    region: 'eu-west-1',
  });
});

test('updating a section in place keeps every other byte, the key spelling and the CRLF endings', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const file = home.paths.credentialsFile;
  await mkdir(join(home.dir, '.aws'), { recursive: true });
  await writeFile(file, EXISTING, { mode: 0o644 });
  const r = await writeCredentialsProfile(file, 'dev', CREDS);
  assert.equal(r.backupPath, `${file}.bak`);
  assert.equal(await readFile(r.backupPath!, 'utf8'), EXISTING);
  const text = await readFile(file, 'utf8');
  // The JavaScript SDK reads keys case-sensitively and only with `=`: those two lines are
  // rewritten; the others keep their layout.
  const want = EXISTING.replace('AWS_Access_Key_Id=ASIAOLDOLDOLDOLDOLD1', `aws_access_key_id = ${CREDS.accessKeyId}`)
    .replace('aws_secret_access_key :  oldsecret', `aws_secret_access_key = ${CREDS.secretAccessKey}`)
    .replace('aws_session_token = oldtoken\r\n   continued', `aws_session_token = ${CREDS.sessionToken}`);
  assert.equal(text, want);
  if (process.platform !== 'win32') {
    assert.equal((await stat(file)).mode & 0o777, 0o600, 'tightened from 0644');
    assert.equal((await stat(r.backupPath!)).mode & 0o777, 0o600);
  }
  const sdk = await sdkCredentials(file, home.dir);
  assert.deepEqual(sdk.dev, {
    aws_access_key_id: CREDS.accessKeyId,
    aws_secret_access_key: CREDS.secretAccessKey,
    aws_session_token: CREDS.sessionToken,
    region: 'us-west-2',
  });
  assert.equal(sdk.default.aws_access_key_id, 'AKIAIOSFODNN7EXAMPLE');
  assert.equal(sdk.other.aws_secret_access_key, 'other');
});

test('a line already in the SDK-readable form keeps its spacing', () => {
  const text = '[dev]\n  aws_access_key_id=old  \naws_session_token   =   old\n';
  const out = setCredentialsSection(text, 'dev', [['aws_access_key_id', 'NEW'], ['aws_session_token', 'T']]);
  assert.equal(out, '[dev]\n  aws_access_key_id=NEW\naws_session_token   =   T\n');
});

test('adding a section: one blank line before it, the file without final newline gets one', () => {
  const out = setCredentialsSection(EXISTING, 'new-one', [['aws_access_key_id', 'A'], ['aws_secret_access_key', 'B']]);
  assert.equal(out, `${EXISTING}\r\n\r\n[new-one]\r\naws_access_key_id = A\r\naws_secret_access_key = B\r\n`);
  // Writing the same values again changes nothing.
  assert.equal(setCredentialsSection(out, 'new-one', [['aws_access_key_id', 'A']]), out);
  // A missing key is added after the section's last key, not at the end of the file.
  const more = setCredentialsSection(EXISTING, 'default', [['aws_session_token', 'T']]);
  assert.equal(more, EXISTING.replace('EXAMPLEKEY\r\n', 'EXAMPLEKEY\r\naws_session_token = T\r\n'));
});

test('[profile dev] in the credentials file is not the profile "dev"', () => {
  const text = '[profile dev]\naws_access_key_id = X\n';
  const out = setCredentialsSection(text, 'dev', [['aws_access_key_id', 'Y']]);
  assert.equal(out, `${text}\n[dev]\naws_access_key_id = Y\n`);
});

test('a file the AWS CLI cannot read is refused and left untouched', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const file = home.paths.credentialsFile;
  await mkdir(join(home.dir, '.aws'), { recursive: true });
  const broken = '[dev]\naws_access_key_id = A\n[dev]\naws_access_key_id = B\n';
  await writeFile(file, broken, { mode: 0o600 });
  await assert.rejects(writeCredentialsProfile(file, 'dev', CREDS), (e: unknown) => isSsoError(e, 'ConfigFile') && /appears more than once/.test(e.message));
  assert.equal(await readFile(file, 'utf8'), broken);
  assert.equal(existsSync(`${file}.bak`), false);
});

test('bad names and values are refused before anything is written, and no secret is echoed', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const file = home.paths.credentialsFile;
  for (const name of ['', 'has space', 'a]b', 'DEFAULT', '__proto__', 'x'.repeat(129)]) {
    await assert.rejects(writeCredentialsProfile(file, name, CREDS), (e: unknown) => isSsoError(e, 'InvalidInput'), name);
  }
  for (const bad of ['SECRET #comment', 'SECRET\tx', 'SECRET\u00e9']) {
    await assert.rejects(
      writeCredentialsProfile(file, 'dev', { ...CREDS, sessionToken: bad }),
      (e: unknown) => isSsoError(e, 'BadResponse') && !e.message.includes('SECRET'),
    );
  }
  await assert.rejects(writeCredentialsProfile(file, 'dev', CREDS, { region: 'nowhere' }), (e: unknown) => isSsoError(e, 'InvalidInput'));
  assert.equal(existsSync(file), false);
});

isolated('a symlinked credentials file: the target is written and made private, the link stays', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const { symlink, lstat } = await import('node:fs/promises');
  await mkdir(join(home.dir, '.aws'), { recursive: true });
  const real = join(home.dir, 'real-credentials');
  await writeFile(real, '[a]\nx = 1\n', { mode: 0o640 });
  await symlink(real, home.paths.credentialsFile);
  await writeCredentialsProfile(home.paths.credentialsFile, 'dev', CREDS);
  assert.ok((await lstat(home.paths.credentialsFile)).isSymbolicLink());
  assert.match(await readFile(real, 'utf8'), /^\[a\]\nx = 1\n\n\[dev\]\n/);
  assert.equal((await stat(real)).mode & 0o777, 0o600);
  await chmod(real, 0o600);
});

test('the AWS SDK resolves the written profile with fromIni', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  await mkdir(join(home.dir, '.aws'), { recursive: true });
  await writeFile(home.paths.credentialsFile, EXISTING, { mode: 0o600 });
  await writeCredentialsProfile(home.paths.credentialsFile, 'dev', CREDS);
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'test/helpers/resolve-credentials.ts', 'dev'], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, ...home.env },
    timeout: 8000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    accessKeyId: CREDS.accessKeyId,
    secretAccessKey: CREDS.secretAccessKey,
    sessionToken: CREDS.sessionToken,
  });
});
