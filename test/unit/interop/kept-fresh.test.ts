// A kept-fresh credentials-file section (with our managed key in it) read by the real AWS CLI v2 and
// by the JavaScript SDK's fromIni: both take the keys and ignore the marker.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, test } from 'node:test';
import { writeKeptFreshSection } from '../../../src/core/credentials';
import type { RoleCredentials } from '../../../src/core/types';
import { assertAwsCliV2, awsCli } from '../../interop/awsCli';
import { parseExported, sha256 } from '../../interop/harness';
import { TempHome, tempHome } from '../../helpers/tempHome';

const CREDS: RoleCredentials = {
  accessKeyId: 'ASIAKEPTFRESHEXAMPLE',
  secretAccessKey: 'kept/fresh+secret0123456789abcdefghijklmn',
  sessionToken: 'IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+kept=',
  expiration: Date.now() + 3600_000,
};

let home: TempHome;
before(async () => {
  home = await tempHome('kept-fresh-');
  await mkdir(join(home.dir, '.aws'), { recursive: true });
  await writeKeptFreshSection(home.paths.credentialsFile, 'fresh', CREDS, { region: 'eu-west-1' });
});
after(() => home.cleanup());

test('aws configure export-credentials and configure get read our section; the marker changes nothing', async () => {
  await assertAwsCliV2();
  const r = await awsCli(['configure', 'export-credentials', '--profile', 'fresh'], { home: home.dir, timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  const c = parseExported(r.stdout);
  assert.equal(c.accessKeyId, CREDS.accessKeyId);
  assert.equal(c.secretSha256, sha256(CREDS.secretAccessKey));
  assert.equal(c.sessionTokenSha256, sha256(CREDS.sessionToken));
  const list = await awsCli(['configure', 'list', '--profile', 'fresh'], { home: home.dir, timeoutMs: 60_000 });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /access_key\s+\*+MPLE\s+shared-credentials-file/);
});

test('the SDK\u2019s fromIni resolves our section', async () => {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...(home.env as Record<string, string>), AWS_EC2_METADATA_DISABLED: 'true' };
  const r = await promisify(execFile)(process.execPath, ['--import', 'tsx', join(__dirname, '../../interop/sdk-credentials.ts'), 'fromIni', 'fresh'], { env, encoding: 'utf8', timeout: 60_000 });
  const out = JSON.parse(r.stdout) as { accessKeyId: string; secretSha256: string; sessionTokenSha256: string };
  assert.equal(out.accessKeyId, CREDS.accessKeyId);
  assert.equal(out.secretSha256, sha256(CREDS.secretAccessKey));
  assert.equal(out.sessionTokenSha256, sha256(CREDS.sessionToken));
});
