// Node tools that read ~/.aws/config with the `ini` package (a common way JavaScript tools read it)
// see the profiles and sessions we write: names, keys and values, next to comments and nested
// values. `ini` is a dev dependency for this test only; we never let it parse or write the file.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as ini from 'ini';
import { applyProfiles, ProfileSpec, SsoSessionSpec } from '../../../src/core/config/edit';
import { loadFixtures, variants } from '../../helpers/config-fixtures';

const SESSION: SsoSessionSpec = {
  name: 'ini-corp',
  startUrl: 'https://d-1234567890.awsapps.com/start',
  region: 'eu-west-1',
  scopes: ['sso:account:access', 'codewhisperer:completions'],
};
const PROFILES: ProfileSpec[] = [
  { name: 'ini-admin', ssoSession: SESSION.name, accountId: '012345678901', roleName: 'AdministratorAccess', region: 'us-east-2', output: 'json' },
  { name: 'Team/Ops:x@y+z%1', ssoSession: SESSION.name, accountId: '111122223333', roleName: 'Ops' },
];

type Section = Record<string, unknown>;

/** `ini` builds null-prototype objects; compared as plain data. */
const read = (text: string): Record<string, unknown> => JSON.parse(JSON.stringify(ini.parse(text)));

/** What `ini` shows for our keys: strings, except `true`, which it reads as a boolean. */
function expectedProfile(p: ProfileSpec): Section {
  const v: Section = { sso_session: p.ssoSession, sso_account_id: p.accountId, sso_role_name: p.roleName };
  if (p.region !== undefined) v.region = p.region;
  if (p.output !== undefined) v.output = p.output;
  v.aws_sso_profiles_managed = true;
  return v;
}

function without(view: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out = { ...view };
  for (const k of keys) delete out[k];
  return out;
}

test('ini sees every profile and sso-session we write, in every sample file, and the rest as before', () => {
  const ours = [`sso-session ${SESSION.name}`, ...PROFILES.map((p) => `profile ${p.name}`)];
  let files = 0;
  for (const f of loadFixtures().flatMap(variants)) {
    if (f.text.charCodeAt(0) === 0xfeff) continue;
    const after = applyProfiles(f.text, { setSessions: [SESSION], upserts: PROFILES });
    const before = read(f.text);
    const view = read(after);
    assert.deepEqual(
      view[`sso-session ${SESSION.name}`],
      { sso_start_url: SESSION.startUrl, sso_region: SESSION.region, sso_registration_scopes: 'sso:account:access,codewhisperer:completions' },
      f.name,
    );
    for (const p of PROFILES) assert.deepEqual(view[`profile ${p.name}`], expectedProfile(p), `${f.name}: ${p.name}`);
    // What such a tool read from the user's own sections (comments, nested `s3 =` blocks and all,
    // however it reads them) is what it reads after our edit.
    assert.deepEqual(without(view, ours), before, f.name);
    files++;
  }
  assert.ok(files >= 30, `${files} files`);
});

test('what ini does differently from the AWS CLI, for the README: dots nest, true is a boolean', () => {
  const text = applyProfiles('', {
    setSessions: [SESSION],
    upserts: [{ name: 'payments.ReadOnly', ssoSession: SESSION.name, accountId: '012345678901', roleName: 'ReadOnly' }],
  });
  const view = read(text);
  // `ini` splits a section name at dots: the profile is there, one level down.
  assert.equal(view['profile payments.ReadOnly'], undefined);
  assert.deepEqual(view['profile payments'], { ReadOnly: expectedProfile({ name: 'payments.ReadOnly', ssoSession: SESSION.name, accountId: '012345678901', roleName: 'ReadOnly' }) });
});
