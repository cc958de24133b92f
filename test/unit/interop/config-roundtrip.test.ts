// The config file passed back and forth between our editor and the real AWS CLI's own writer
// (`aws configure set`), on a CRLF file with hand-written content. No network is involved.
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { after, before, test } from 'node:test';
import { ConfigFile } from '../../../src/core/config/configFile';
import { applyProfiles } from '../../../src/core/config/edit';
import { listProfiles, listSsoSessions } from '../../../src/core/config/read';
import { assertAwsCliV2, awsCli } from '../../interop/awsCli';
import { tempHome, TempHome } from '../../helpers/tempHome';
import { checkConfig } from '../../helpers/config-edits';

let home: TempHome;
let cases = 0;
let runs = 0;
let cliMs = 0;
const started = performance.now();
const HAND = ['# hand-written', '[default]', 'region = eu-west-1', 'cli_pager =', '', '[profile keys]', 'aws_access_key_id = AKIAEXAMPLEEXAMPLE00', ''].join('\r\n');
const SESSION = { name: 'corp', startUrl: 'https://d-1234567890.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };

async function aws(args: string[]) {
  const r = await awsCli(args, { home: home.dir, timeoutMs: 60_000 });
  runs++;
  cliMs += r.ms;
  return r;
}
const text = () => readFile(home.paths.configFile, 'utf8');

before(async () => {
  await assertAwsCliV2();
  home = await tempHome('aws-sso-interop-cfg-');
  await mkdir(dirname(home.paths.configFile), { recursive: true });
  await writeFile(home.paths.configFile, HAND);
});

after(async () => {
  console.log(`# interop config round trip: ${cases} case(s), ${runs} aws run(s) in ${cliMs} ms, ${Math.round(performance.now() - started)} ms total`);
  await home.cleanup();
});

test('our profiles in a CRLF file: the CLI lists them and reads every key', async () => {
  cases++;
  await new ConfigFile(home.paths.configFile).edit((t) =>
    applyProfiles(t, {
      setSessions: [SESSION],
      upserts: [
        { name: 'corp-dev', ssoSession: 'corp', accountId: '111111111111', roleName: 'Dev', region: 'us-east-1', output: 'json' },
        { name: 'corp-ops', ssoSession: 'corp', accountId: '222222222222', roleName: 'Ops', region: 'eu-central-1', output: 'table' },
      ],
    }),
  );
  const t = await text();
  assert.ok(t.startsWith(HAND));
  const list = await aws(['configure', 'list-profiles']);
  assert.equal(list.code, 0, list.stderr);
  assert.deepEqual(list.stdout.split('\n').filter(Boolean).sort(), ['corp-dev', 'corp-ops', 'default', 'keys']);
  for (const [profile, key, want] of [
    ['corp-dev', 'sso_session', 'corp'],
    ['corp-dev', 'sso_account_id', '111111111111'],
    ['corp-ops', 'sso_role_name', 'Ops'],
    ['corp-ops', 'region', 'eu-central-1'],
    ['corp-ops', 'output', 'table'],
  ] as const) {
    const r = await aws(['configure', 'get', key, '--profile', profile]);
    assert.equal(r.stdout.trim(), want, `${profile}.${key}`);
  }
});

test('aws configure set edits our profile and adds its own; we read the result and our next edit keeps the CLI\u2019s lines', async () => {
  cases++;
  let r = await aws(['configure', 'set', 'cli_pager', 'less', '--profile', 'corp-dev']);
  assert.equal(r.code, 0, r.stderr);
  r = await aws(['configure', 'set', 'region', 'ap-south-1', '--profile', 'cli-made']);
  assert.equal(r.code, 0, r.stderr);
  const afterCli = await text();
  // Measured: the CLI's writer rewrites the whole file with LF endings (Python text mode).
  assert.equal(afterCli.includes('\r'), false, 'aws configure set turned CRLF into LF');
  const handLf = HAND.replace(/\r\n/g, '\n');
  assert.ok(afterCli.startsWith(handLf));
  assert.deepEqual(checkConfig(afterCli), [], 'the file is still one the CLI can read, as we judge it');
  const profiles = listProfiles(afterCli);
  const dev = profiles.find((p) => p.name === 'corp-dev')!;
  assert.equal(dev.keys.cli_pager, 'less');
  assert.equal(dev.managed, true, 'still ours after the CLI edited it');
  assert.equal(dev.ssoAccountId, '111111111111');
  assert.equal(profiles.find((p) => p.name === 'cli-made')?.keys.region, 'ap-south-1');
  assert.deepEqual(listSsoSessions(afterCli).map((s) => s.name), ['corp']);

  // Our next edit: the role of corp-ops changes and corp-dev is removed.
  await new ConfigFile(home.paths.configFile).edit((t) =>
    applyProfiles(t, {
      upserts: [{ name: 'corp-ops', ssoSession: 'corp', accountId: '222222222222', roleName: 'Admin' }],
      removals: ['corp-dev'],
    }),
  );
  const ours = await text();
  assert.ok(ours.startsWith(handLf), 'hand-written bytes kept');
  assert.equal(ours.includes('\r'), false, 'our edit follows the file\u2019s endings, now LF');
  assert.match(ours, /\[profile cli-made\]\r?\nregion = ap-south-1/, 'the CLI\u2019s section kept');
  const list = await aws(['configure', 'list-profiles']);
  assert.deepEqual(list.stdout.split('\n').filter(Boolean).sort(), ['cli-made', 'corp-ops', 'default', 'keys']);
  r = await aws(['configure', 'get', 'sso_role_name', '--profile', 'corp-ops']);
  assert.equal(r.stdout.trim(), 'Admin');
  r = await aws(['configure', 'get', 'region', '--profile', 'corp-ops']);
  assert.equal(r.stdout.trim(), 'eu-central-1', 'a region we did not pass is left as it was');
});
