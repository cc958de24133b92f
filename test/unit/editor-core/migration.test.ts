// Long-term access keys: found in both files with who depends on them, and removed losslessly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSsoError } from '../../../src/core/errors';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { findLongTermKeys, maskAccessKeyId, removeLongTermKeys, removeLongTermKeysFromFile } from '../../../src/core/migration';
import { parseConfig } from '../../../src/core/config/model';
import { tempHome } from '../../helpers/tempHome';

const CREDENTIALS = `# ~/.aws/credentials of a long-time AWS user
[default]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY

[personal]
; my own account
aws_access_key_id=AKIAPERSONAL00001234
aws_secret_access_key=personalsecretpersonalsecretpersonal12
region = eu-west-1

[temp]
aws_access_key_id = ASIATEMPORARY0000001
aws_secret_access_key = x
aws_session_token = IQoJb3JpZ2luX2Vj

[old-style-temp]
aws_access_key_id = AKIAOLDSTYLE00000001
aws_secret_access_key = y
aws_security_token = FQoGZXIvYXdz

[asia-without-token]
aws_access_key_id = ASIAHALFWRITTEN00001
aws_secret_access_key = z

[profile weird]
aws_access_key_id = AKIAWEIRDWEIRD000009
aws_secret_access_key = w
`;

const CONFIG = `[default]
region = us-east-1
output = json

[profile admin]
role_arn = arn:aws:iam::111111111111:role/Admin
source_profile = default

[profile audit]
role_arn = arn:aws:iam::222222222222:role/Audit
source_profile = default
region = eu-west-1

[profile chained]
role_arn = arn:aws:iam::333333333333:role/X
source_profile = personal

[profile inline]
aws_access_key_id = AKIAINLINEINLINE0042
aws_secret_access_key = inlinesecretinlinesecretinline1234

[profile sso-dev]
sso_session = org
sso_account_id = 111111111111
sso_role_name = Dev

[sso-session org]
sso_start_url = https://d-1234567890.awsapps.com/start
sso_region = eu-west-1
`;

test('finds long-term keys in both files, skipping temporary ones, with the profiles that use them', () => {
  const found = findLongTermKeys(CREDENTIALS, CONFIG);
  assert.deepEqual(found, [
    { profile: 'default', file: 'credentials', accessKeyIdMasked: 'AKIA************MPLE', usedBy: ['admin', 'audit'] },
    { profile: 'personal', file: 'credentials', accessKeyIdMasked: 'AKIA************1234', usedBy: ['chained'] },
    // botocore reads [profile weird] in the credentials file as a profile called "profile weird".
    { profile: 'profile weird', file: 'credentials', accessKeyIdMasked: 'AKIA************0009', usedBy: [] },
    { profile: 'inline', file: 'config', accessKeyIdMasked: 'AKIA************0042', usedBy: [] },
  ]);
  for (const f of found) assert.ok(!/[A-Z0-9]{5,}\*/.test(f.accessKeyIdMasked) && f.accessKeyIdMasked.length === 20);
});

test('masking', () => {
  assert.equal(maskAccessKeyId('AKIAIOSFODNN7EXAMPLE'), 'AKIA************MPLE');
  assert.equal(maskAccessKeyId('AKIA12345'), '*********');
  assert.equal(maskAccessKeyId(''), '****');
});

test('empty, missing and unreadable files do not throw', () => {
  assert.deepEqual(findLongTermKeys('', ''), []);
  assert.deepEqual(findLongTermKeys('garbage without a header\n[x]\naws_access_key_id = AKIAX00000000000000Z\n', '[[[\n'), [
    { profile: 'x', file: 'credentials', accessKeyIdMasked: 'AKIA************000Z', usedBy: [] },
  ]);
  // An empty key ID is not a key.
  assert.deepEqual(findLongTermKeys('[x]\naws_access_key_id =\n', ''), []);
});

test('a source_profile in the credentials file counts too', () => {
  const creds = '[base]\naws_access_key_id = AKIABASEBASEBASE0001\naws_secret_access_key = s\n\n[role]\nrole_arn = arn:aws:iam::1:role/R\nsource_profile = base\n';
  assert.deepEqual(findLongTermKeys(creds, '')[0].usedBy, ['role']);
});

test('removes a section that held only the keys, with its trailing blank line; everything else byte-identical', () => {
  const out = removeLongTermKeys(CREDENTIALS, ['default'], 'credentials');
  const want = CREDENTIALS.replace(
    '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n\n',
    '',
  );
  assert.equal(out, want);
  assert.equal(findLongTermKeys(out, CONFIG).some((k) => k.profile === 'default'), false);
});

test('keeps a section that has other keys and its comments, removing just the two lines', () => {
  const out = removeLongTermKeys(CREDENTIALS, ['personal'], 'credentials');
  assert.equal(
    out,
    CREDENTIALS.replace('aws_access_key_id=AKIAPERSONAL00001234\naws_secret_access_key=personalsecretpersonalsecretpersonal12\n', ''),
  );
  assert.match(out, /\[personal\]\n; my own account\nregion = eu-west-1\n/);
});

test('config file: [profile x] by name, other sections untouched; unknown names are no-ops', () => {
  const out = removeLongTermKeys(CONFIG, ['inline', 'nope', 'admin'], 'config');
  assert.equal(
    out,
    CONFIG.replace('[profile inline]\naws_access_key_id = AKIAINLINEINLINE0042\naws_secret_access_key = inlinesecretinlinesecretinline1234\n\n', ''),
  );
  assert.equal(removeLongTermKeys(CONFIG, ['nope'], 'config'), CONFIG);
  assert.equal(removeLongTermKeys(CONFIG, [], 'config'), CONFIG);
  // "profile inline" is not a name in the config file.
  assert.equal(removeLongTermKeys(CONFIG, ['profile inline'], 'config'), CONFIG);
  // In the credentials file it is the header that counts.
  assert.doesNotMatch(removeLongTermKeys(CREDENTIALS, ['profile weird'], 'credentials'), /AKIAWEIRD/);
});

test('CRLF, a BOM-less file without final newline, continuation lines and odd key spelling', () => {
  const text = [
    '[keep]',
    'region = eu-west-1',
    '',
    '[k]',
    'AWS_ACCESS_KEY_ID : AKIACASECASECASE0001',
    '  continued-value',
    '# a note about the secret',
    'Aws_Secret_Access_Key=s',
    'output = text',
    '[last]',
    'aws_secret_access_key = only-secret',
  ].join('\r\n');
  const out = removeLongTermKeys(text, ['k', 'last'], 'credentials');
  assert.equal(out, ['[keep]', 'region = eu-west-1', '', '[k]', '# a note about the secret', 'output = text', ''].join('\r\n'));
});

test('the last section going away at the end of a file keeps the preceding bytes', () => {
  const text = '[a]\nregion = x\n\n[b]\naws_access_key_id = AKIA\naws_secret_access_key = s';
  assert.equal(removeLongTermKeys(text, ['b'], 'credentials'), '[a]\nregion = x\n\n');
});

test('an unreadable file is refused and nothing is changed', () => {
  assert.throws(
    () => removeLongTermKeys('[a]\nx = 1\n[a]\ny = 2\n', ['a'], 'credentials'),
    (e: unknown) => isSsoError(e, 'ConfigFile') && /more than once/.test(e.message),
  );
  assert.throws(() => removeLongTermKeys('\ufeff[a]\naws_access_key_id = A\n', ['a'], 'credentials'), (e: unknown) => isSsoError(e, 'ConfigFile'));
});

test('deeper-indented lines after a key are part of its value for the CLI, so they go with it', () => {
  const tricky = '[p]\n  region = eu-west-1\n  aws_access_key_id = AKIAX\n    output = json\n';
  const model = parseConfig(tricky);
  assert.deepEqual(model.sections[0].options.map((o) => o.key), ['region', 'aws_access_key_id']);
  assert.equal(removeLongTermKeys(tricky, ['p'], 'credentials'), '[p]\n  region = eu-west-1\n');
});

test('removing keys from a file leaves exactly one backup: private, timestamped, and the one named', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const file = home.paths.credentialsFile;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, CREDENTIALS, { mode: 0o600 });
  const clock = { now: () => Date.UTC(2024, 4, 1, 10, 20, 30, 456) };
  const r = await removeLongTermKeysFromFile(file, ['default'], 'credentials', { clock });
  assert.equal(r.backupPath, `${file}.2024-05-01T10-20-30.bak`);
  assert.deepEqual((await readdir(dirname(file))).sort(), ['credentials', 'credentials.2024-05-01T10-20-30.bak']);
  assert.equal(await readFile(r.backupPath, 'utf8'), CREDENTIALS);
  if (process.platform !== 'win32') assert.equal((await stat(r.backupPath)).mode & 0o777, 0o600);
  assert.doesNotMatch(await readFile(file, 'utf8'), /AKIAIOSFODNN7EXAMPLE/);
  // A second run in the same second never overwrites the first backup.
  const again = await removeLongTermKeysFromFile(file, ['personal'], 'credentials', { clock });
  assert.equal(again.backupPath, `${file}.2024-05-01T10-20-30-1.bak`);
  assert.deepEqual((await readdir(dirname(file))).sort(), ['credentials', 'credentials.2024-05-01T10-20-30-1.bak', 'credentials.2024-05-01T10-20-30.bak']);
  assert.equal(await readFile(r.backupPath, 'utf8'), CREDENTIALS);
});
