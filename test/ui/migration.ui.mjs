// UI test of the migration a new user finishes (issue 14, item 4), keyboard only: the check finds
// the IAM user keys of `legacy`, removes them, and in the same flow starts `legacy-admin`
// (source_profile = legacy) from the user's SSO profile; a second run has nothing left to fix.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { startEditor } from './harness.mjs';
import { migrateLegacyKeys, runPaletteCommand } from './flow.flow-helpers.mjs';

const HAND_WRITTEN = [
  '',
  '[profile sso-admin]',
  'sso_session = sandbox',
  'sso_account_id = 111122223333',
  'sso_role_name = AdministratorAccess',
  '',
  '[profile legacy-admin]',
  '# assumes Admin with the old IAM user keys',
  'role_arn = arn:aws:iam::111122223333:role/Admin',
  'source_profile = legacy',
  'region = eu-west-1',
  '',
].join('\n');
const CREDENTIALS = '[legacy]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n';

describe('UI: the migration finishes the job', { timeout: 300_000 }, () => {
  let ed;
  let configBefore;
  before(async () => {
    ed = await startEditor({ accounts: 4, extraConfig: HAND_WRITTEN, viewport: { width: 1400, height: 900 } });
    await writeFile(ed.home.env.AWS_SHARED_CREDENTIALS_FILE, CREDENTIALS, { mode: 0o600 });
    configBefore = await readFile(ed.home.configFile, 'utf8');
  });
  after(async () => ed?.stop());

  it('removes the keys, then points the dependent profile at an SSO profile', async () => {
    await ed.activityBarItem('AWS SSO').waitFor({ state: 'visible', timeout: 60_000 });
    const labels = await migrateLegacyKeys(ed);
    assert.ok(labels.some((l) => /Remove the profile/.test(l)) && labels.some((l) => /Leave it/.test(l)), labels.join(' | '));
    assert.equal(await readFile(ed.home.configFile, 'utf8'), configBefore.replace('source_profile = legacy', 'source_profile = sso-admin'));
    assert.equal(await readFile(ed.home.env.AWS_SHARED_CREDENTIALS_FILE, 'utf8'), '');
  });

  it('a second run has nothing left to migrate', async () => {
    await runPaletteCommand(ed, 'AWS SSO: Check for Long-Term Access Keys');
    await ed.notification('Nothing to migrate', 30_000);
  });
});
