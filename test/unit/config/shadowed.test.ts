// A credentials-file section with keys under an SSO profile's name: the JavaScript SDK v3 takes those
// keys first, so the view must say which SSO profiles are shadowed, and only those.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listProfiles, shadowedSsoProfiles } from '../../../src/core/config/read';

const CONFIG = `[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1

[profile dev]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Developer

[profile legacy-sso]
sso_start_url = https://corp.awsapps.com/start
sso_region = eu-west-1
sso_account_id = 111122223333
sso_role_name = ReadOnly

[profile plain]
region = eu-west-1

[default]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Admin

[profile other]
sso_session = corp
sso_account_id = 111122223333
sso_role_name = Other
`;
const profiles = listProfiles(CONFIG);

test('an SSO profile with a same-name credentials section holding a key is shadowed; others are not', () => {
  const credentials = `[dev]
aws_access_key_id = ASIAIOSFODNN7EXAMPLE
aws_secret_access_key = secret
aws_session_token = token

[legacy-sso]
AWS_ACCESS_KEY_ID = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = secret

[plain]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE

[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE

[profile other]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
`;
  // plain is no SSO profile; "[profile other]" in the credentials file is a profile called "profile other".
  assert.deepEqual(shadowedSsoProfiles(credentials, profiles), ['dev', 'legacy-sso', 'default']);
});

test('a section without a key, with an empty key, or keys only in [DEFAULT] shadows nothing', () => {
  const credentials = `[DEFAULT]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE

[dev]
region = eu-west-1

[other]
aws_access_key_id =
`;
  assert.deepEqual(shadowedSsoProfiles(credentials, profiles), []);
  assert.deepEqual(shadowedSsoProfiles('', profiles), []);
});

test('the last value of the key in a section counts, as configparser reads it', () => {
  assert.deepEqual(shadowedSsoProfiles('[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_access_key_id =\n', profiles), []);
  assert.deepEqual(shadowedSsoProfiles('[dev]\naws_access_key_id =\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n', profiles), ['dev']);
});

test('text that does not parse cleanly is read as far as it does, without throwing', () => {
  assert.deepEqual(shadowedSsoProfiles('garbage line\n[dev]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n  continued\n[', profiles), ['dev']);
});
