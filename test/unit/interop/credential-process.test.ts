// Interoperability of the credential_process profile and the role-credential cache with the real
// AWS CLI v2 (/usr/bin/aws, through the TLS proxy to the fake) and the JavaScript SDK's fromIni.
//
// Both runners: `aws configure export-credentials` (the CLI v2 has it) and our own command line,
// installed from dist/ under the temporary HOME as the extension installs it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { credentialProcessLine, findAwsCliWithExport, installCli, writeProcessProfile } from '../../../src/core/processProfile';
import { assertAwsCliV2, AWS_CLI } from '../../interop/awsCli';
import { fmtOps, Interop, parseExported, REGION, START_URL, startInterop } from '../../interop/harness';

const DIST = join(__dirname, '../../../dist');
let ix: Interop;
let accountId: string;
let roleName: string;

before(async () => {
  await assertAwsCliV2();
  ix = await startInterop();
  accountId = ix.fake.accounts[0].accountId;
  roleName = ix.fake.accounts[0].roles[0];
  let r = await ix.ours(['add-session', '--sso-session', 'corp', '--start-url', START_URL, '--region', REGION]);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['login', '--sso-session', 'corp', '--no-browser']);
  assert.equal(r.code, 0, r.text);
  r = await ix.ours(['profile', '--sso-session', 'corp', '--account', accountId, '--role', roleName, '--name', 'dev']);
  assert.equal(r.code, 0, r.text);
});

after(() => ix.close());

async function addProcessProfile(name: string, line: string): Promise<void> {
  const text = await readFile(ix.home.paths.configFile, 'utf8');
  await writeFile(ix.home.paths.configFile, writeProcessProfile(text, { name, line, region: REGION }));
}

const freshCache = () => rm(ix.home.paths.cliCacheDir, { recursive: true, force: true });

test('the AWS CLI is found by its version, not by PATH order: a v1 first on PATH is passed over', async () => {
  const runner = await findAwsCliWithExport({ PATH: `/root/.pyenv/shims:/nonexistent:/usr/bin` }, { fresh: true });
  assert.deepEqual(runner && { kind: runner.kind, path: runner.path }, { kind: 'aws-cli', path: AWS_CLI });
  assert.equal(await findAwsCliWithExport({ PATH: '/nonexistent' }, { fresh: true }), undefined);
});

test('[profile dev-process] running aws configure export-credentials: the CLI and the SDK get the fake\u2019s keys', async () => {
  await freshCache();
  await addProcessProfile('dev-process', credentialProcessLine({ kind: 'aws-cli', path: AWS_CLI, version: '2.9.19' }, 'dev'));
  const r = await ix.aws(['configure', 'export-credentials', '--profile', 'dev-process']);
  assert.equal(r.code, 0, r.stderr);
  const c = parseExported(r.stdout);
  assert.ok(ix.issuedHashes().has(c.secretSha256));
  assert.ok(ix.issuedHashes().has(c.sessionTokenSha256));
  // The SDK runs the same line (the CLI's cache, warm now, serves it without the proxy).
  const sdk = await ix.sdk('fromIni', 'dev-process');
  assert.equal(sdk.code, 0, sdk.stderr);
  assert.equal(sdk.out?.secretSha256, c.secretSha256);
});

test('[profile dev-ours] running our installed command line: the CLI and the SDK\u2019s fromIni get the fake\u2019s keys; the second run is served from the cache the CLI shares', { skip: !existsSync(join(DIST, 'cli.js')) && 'run `node esbuild.config.mjs` first' }, async () => {
  await freshCache();
  const { launcher } = await installCli({ home: ix.home.dir, distDir: DIST, version: 'test', runtime: process.execPath });
  await addProcessProfile('dev-ours', credentialProcessLine({ kind: 'ours', path: launcher }, 'dev'));
  // The outer CLI passes its environment on: AWS_ENDPOINT_URL_SSO points our command line at the fake.
  const env = ix.fake.env();
  const { result: r, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', 'dev-ours'], { env }));
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(ops, { credentials: 1 }, fmtOps(ops));
  const c = parseExported(r.stdout);
  assert.ok(ix.issuedHashes().has(c.secretSha256));

  // The SSO profile itself, through the CLI's own SSO provider: served from the file we cached.
  const { result: direct, ops: none } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', 'dev']));
  assert.equal(direct.code, 0, direct.stderr);
  assert.deepEqual(none, {}, fmtOps(none));
  assert.equal(parseExported(direct.stdout).secretSha256, c.secretSha256);

  const sdk = await ix.sdk('fromIni', 'dev-ours');
  assert.equal(sdk.code, 0, sdk.stderr);
  assert.equal(sdk.out?.secretSha256, c.secretSha256);
  assert.ok(sdk.out?.expiration);
});

test('the cache the AWS CLI writes is the one our command reads: no request after `aws configure export-credentials`', async () => {
  await freshCache();
  const r = await ix.aws(['configure', 'export-credentials', '--profile', 'dev']);
  assert.equal(r.code, 0, r.stderr);
  const { result: ours, ops } = await ix.opsDuring(() => ix.ours(['credentials', '--profile', 'dev']));
  assert.equal(ours.code, 0, ours.text);
  assert.deepEqual(ops, {}, fmtOps(ops));
  assert.equal(parseExported(ours.text).secretSha256, parseExported(r.stdout).secretSha256);
});

test('signed out: our process profile fails in one line and the CLI reports it; no browser, no sign-in', { skip: !existsSync(join(DIST, 'cli.js')) && 'run `node esbuild.config.mjs` first' }, async () => {
  const r0 = await ix.ours(['logout', '--sso-session', 'corp']);
  assert.equal(r0.code, 0, r0.text);
  await freshCache();
  const { launcher } = await installCli({ home: ix.home.dir, distDir: DIST, version: 'test', runtime: process.execPath });
  await addProcessProfile('dev-ours', credentialProcessLine({ kind: 'ours', path: launcher }, 'dev'));
  const { result: r, ops } = await ix.opsDuring(() => ix.aws(['configure', 'export-credentials', '--profile', 'dev-ours'], { env: ix.fake.env() }));
  assert.notEqual(r.code, 0);
  assert.deepEqual(ops, {}, fmtOps(ops));
  assert.match(r.stderr, /sign in again: aws-sso-profiles login --sso-session corp/);
  for (const secret of ix.fake.issuedSecrets()) assert.ok(!r.stderr.includes(secret), 'a secret in the error');
});
