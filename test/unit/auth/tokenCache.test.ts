// The CLI-compatible SSO cache: file names, exact JSON, time format, permissions, tolerant reads.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pyJsonDumps } from '../../../src/core/auth/pyjson';
import {
  formatCliTime,
  parseCliTime,
  readRegistrationFile,
  readTokenFile,
  registrationCacheKey,
  serializeToken,
  tokenCacheKey,
  tokenFilePath,
  writeRegistrationFile,
  writeTokenFile,
} from '../../../src/core/auth/tokenCache';
import type { CachedToken, SsoSession } from '../../../src/core/types';
import { TempHome, tempHome } from '../../helpers/tempHome';

const session: SsoSession = {
  name: 'my-sso',
  startUrl: 'https://example.awsapps.com/start',
  region: 'us-east-1',
  scopes: ['sso:account:access'],
};
const legacy: SsoSession = { startUrl: 'https://legacy.awsapps.com/start#/', region: 'eu-west-1', scopes: ['sso:account:access'] };

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');
const T0 = Date.UTC(2026, 2, 4, 5, 6, 7, 890);

function fullToken(): CachedToken {
  return {
    startUrl: session.startUrl,
    region: session.region,
    accessToken: 'aoa-access',
    expiresAt: T0,
    clientId: 'client-id',
    clientSecret: 'client-secret',
    registrationExpiresAt: T0 + 90 * 86400_000,
    refreshToken: 'aor-refresh',
  };
}

let home: TempHome;
before(async () => {
  home = await tempHome();
});
after(async () => {
  await home.cleanup();
});

describe('keys', () => {
  test('registration key matches botocore for the documented example', () => {
    assert.equal(registrationCacheKey(session), 'e83b78ff73aa2ebd41812af5abcc466dca567738');
  });

  test('registration key changes with every input, and a legacy profile hashes session_name null', () => {
    const keys = new Set([
      registrationCacheKey(session),
      registrationCacheKey({ ...session, name: 'other' }),
      registrationCacheKey({ ...session, region: 'eu-west-1' }),
      registrationCacheKey({ ...session, scopes: ['sso:account:access', 'codewhisperer:completions'] }),
      registrationCacheKey(session, ['authorization_code', 'refresh_token']),
    ]);
    assert.equal(keys.size, 5);
    const expectedLegacy = sha1(
      `{"region": "eu-west-1", "scopes": ["sso:account:access"], "session_name": null, "startUrl": "${legacy.startUrl}", "tool": "botocore"}`,
    );
    assert.equal(registrationCacheKey(legacy), expectedLegacy);
  });

  test('token file is sha1 of the session name, or of the exact start URL for a legacy profile', () => {
    assert.equal(tokenCacheKey(session), sha1('my-sso'));
    assert.equal(tokenCacheKey(legacy), sha1('https://legacy.awsapps.com/start#/'));
    assert.notEqual(tokenCacheKey(legacy), tokenCacheKey({ ...legacy, startUrl: 'https://legacy.awsapps.com/start' }));
    assert.equal(tokenFilePath(home.paths, session), join(home.paths.ssoCacheDir, `${sha1('my-sso')}.json`));
  });
});

describe('python json.dumps', () => {
  test('default and compact separators, key sorting, ASCII escaping', () => {
    assert.equal(pyJsonDumps({ b: 1, a: [true, null, 'x'] }), '{"b": 1, "a": [true, null, "x"]}');
    assert.equal(pyJsonDumps({ b: 1, a: 2 }, { sortKeys: true, separators: [',', ':'] }), '{"a":2,"b":1}');
    assert.equal(pyJsonDumps('é\u007f/\n\t\u0001😀'), '"\\u00e9\\u007f/\\n\\t\\u0001\\ud83d\\ude00"');
  });

  const python = spawnSync('python3', ['-c', 'print(1)'], { encoding: 'utf8' });
  test('agrees with the real python3 on awkward strings', { skip: python.status !== 0 && 'python3 not available' }, () => {
    const value = { zeta: 'é€😀\u007f"\\/\b\f', alpha: ['a b', null, 12, true], mid: { 'k"': 'v' } };
    for (const [sortKeys, sep] of [[false, undefined], [true, [',', ':']]] as const) {
      const code =
        'import json,sys; v=json.loads(sys.stdin.read()); ' +
        (sep ? `sys.stdout.write(json.dumps(v, sort_keys=${sortKeys ? 'True' : 'False'}, separators=(',', ':')))` : `sys.stdout.write(json.dumps(v, sort_keys=${sortKeys ? 'True' : 'False'}))`);
      const r = spawnSync('python3', ['-c', code], { input: JSON.stringify(value), encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(pyJsonDumps(value, { sortKeys, separators: sep ? [...sep] : undefined }), r.stdout);
    }
  });
});

describe('times', () => {
  test('written as YYYY-MM-DDTHH:MM:SSZ with the fraction dropped', () => {
    assert.equal(formatCliTime(T0), '2026-03-04T05:06:07Z');
    assert.equal(formatCliTime(Date.UTC(2026, 0, 1)), '2026-01-01T00:00:00Z');
  });

  test('read in every format found in the wild', () => {
    const s = Date.UTC(2026, 2, 4, 5, 6, 7);
    assert.equal(parseCliTime('2026-03-04T05:06:07Z'), s);
    assert.equal(parseCliTime('2026-03-04T05:06:07.890Z'), s + 890);
    assert.equal(parseCliTime('2026-03-04T05:06:07.890123+00:00'), s + 890);
    assert.equal(parseCliTime('2026-03-04T05:06:07UTC'), s);
    assert.equal(parseCliTime('2026-03-04T07:06:07+02:00'), s);
    assert.equal(parseCliTime('2026-03-04T00:06:07-0500'), s);
    assert.equal(parseCliTime('2026-03-04 05:06:07'), s);
    for (const bad of ['', 'soon', '2026-03-04', '2026-13-45Tzz', 17, null, undefined]) assert.equal(parseCliTime(bad), undefined);
  });
});

describe('token file', () => {
  test('has exactly the CLI key order, spacing and time format', () => {
    assert.equal(
      serializeToken(fullToken()),
      '{"startUrl": "https://example.awsapps.com/start", "region": "us-east-1", "accessToken": "aoa-access", ' +
        '"expiresAt": "2026-03-04T05:06:07Z", "clientId": "client-id", "clientSecret": "client-secret", ' +
        '"registrationExpiresAt": "2026-06-02T05:06:07Z", "refreshToken": "aor-refresh"}',
    );
    const minimal = { startUrl: 's', region: 'r', accessToken: 'a', expiresAt: T0 };
    assert.deepEqual(Object.keys(JSON.parse(serializeToken(minimal))), ['startUrl', 'region', 'accessToken', 'expiresAt']);
  });

  test('is written 0600 in a 0700 folder and read back equal (to the second)', async () => {
    const file = await writeTokenFile(home.paths, session, fullToken());
    assert.equal(file, tokenFilePath(home.paths, session));
    if (process.platform !== 'win32') {
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.equal((await stat(home.paths.ssoCacheDir)).mode & 0o777, 0o700);
    }
    const back = await readTokenFile(home.paths, session);
    assert.deepEqual(back, { ...fullToken(), expiresAt: Math.floor(T0 / 1000) * 1000, registrationExpiresAt: Math.floor(T0 / 1000) * 1000 + 90 * 86400_000 });
  });

  test('reads what the JS SDK and older botocore write', async () => {
    const file = tokenFilePath(home.paths, session);
    await writeFile(
      file,
      JSON.stringify({ startUrl: session.startUrl, region: 'us-east-1', accessToken: 'a1', expiresAt: '2026-03-04T05:06:07.000Z', extra: 1 }, null, 2),
    );
    const t = await readTokenFile(home.paths, session);
    assert.equal(t?.accessToken, 'a1');
    assert.equal(t?.expiresAt, Date.UTC(2026, 2, 4, 5, 6, 7));
    assert.equal(t?.refreshToken, undefined);
  });

  test('a malformed, truncated or incomplete file is no token, never a crash', async () => {
    const file = tokenFilePath(home.paths, session);
    const full = serializeToken(fullToken());
    for (const content of [
      full.slice(0, full.length - 10),
      '',
      'null',
      '[1,2]',
      '"text"',
      JSON.stringify({ accessToken: 'a' }),
      JSON.stringify({ accessToken: 'a', expiresAt: 'tomorrow' }),
      JSON.stringify({ accessToken: 7, expiresAt: '2026-03-04T05:06:07Z' }),
    ]) {
      await writeFile(file, content);
      assert.equal(await readTokenFile(home.paths, session), undefined, content);
    }
    await writeFile(file, '\u0000\u0001binary');
    assert.equal(await readTokenFile(home.paths, session), undefined);
  });

  test('a token file that names another start URL is still the session\'s token, as botocore reads it', async () => {
    // botocore's SSOTokenLoader picks the file by the session name's sha1 and never compares the
    // startUrl inside: the AWS CLI would use this token, so we do too.
    const file = tokenFilePath(home.paths, session);
    await writeFile(file, JSON.stringify({ ...JSON.parse(serializeToken(fullToken())), startUrl: 'https://other.awsapps.com/start' }));
    const t = await readTokenFile(home.paths, session);
    assert.equal(t?.accessToken, fullToken().accessToken);
    assert.equal(t?.startUrl, 'https://other.awsapps.com/start');
  });

  test('missing folder and missing file are no token', async () => {
    const other = await tempHome();
    try {
      assert.equal(await readTokenFile(other.paths, session), undefined);
      await mkdir(other.paths.ssoCacheDir, { recursive: true });
      assert.equal(await readTokenFile(other.paths, session), undefined);
    } finally {
      await other.cleanup();
    }
  });
});

describe('registration file', () => {
  test('as the CLI writes it: clientId, clientSecret, expiresAt, scopes', async () => {
    const key = registrationCacheKey(session);
    const reg = { clientId: 'cid', clientSecret: 'cs', expiresAt: T0, scopes: ['sso:account:access'] };
    await writeRegistrationFile(home.paths, key, reg);
    const file = join(home.paths.ssoCacheDir, `${key}.json`);
    assert.equal(
      await readFile(file, 'utf8'),
      '{"clientId": "cid", "clientSecret": "cs", "expiresAt": "2026-03-04T05:06:07Z", "scopes": ["sso:account:access"]}',
    );
    if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.deepEqual(await readRegistrationFile(home.paths, key), { ...reg, expiresAt: Math.floor(T0 / 1000) * 1000 });
    await writeFile(file, '{"clientId": "cid", "clientSec');
    assert.equal(await readRegistrationFile(home.paths, key), undefined);
  });
});

describe('against the installed AWS CLI (botocore) source', () => {
  // Debian's awscli package ships botocore as awscli.botocore; skip where it is absent.
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import awscli.customizations.sso.utils'], { encoding: 'utf8' });
  const skip = probe.status !== 0 && 'the awscli python package is not installed';

  test('token, registration, registration key and role-credential key are byte-identical', { skip }, async () => {
    const { roleCredentialCacheKey } = await import('../../../src/core/auth/logout');
    const py = `
import datetime, json, sys
from dateutil.tz import tzutc
from awscli.customizations.sso.utils import _sso_json_dumps
from awscli.botocore.utils import SSOTokenFetcher
from awscli.botocore.credentials import SSOCredentialFetcher
a = json.loads(sys.stdin.read())
ts = lambda ms: datetime.datetime.fromtimestamp(ms / 1000.0, tzutc())
token = {'startUrl': a['startUrl'], 'region': a['region'], 'accessToken': 'aoa-access', 'expiresAt': ts(a['t0']),
         'clientId': 'client-id', 'clientSecret': 'client-secret', 'registrationExpiresAt': ts(a['reg'])}
token['refreshToken'] = 'aor-refresh'
reg = {'clientId': 'cid', 'clientSecret': 'cs', 'expiresAt': ts(a['t0']), 'scopes': a['scopes']}
f = SSOTokenFetcher(a['region'], None)
creds = lambda name, url: SSOCredentialFetcher(url, a['region'], 'AdminRole', '111122223333', None, sso_session_name=name)._create_cache_key()
print(json.dumps({
  'token': _sso_json_dumps(token),
  'registration': _sso_json_dumps(reg),
  'regKey': f._registration_cache_key(a['startUrl'], a['name'], a['scopes']),
  'legacyRegKey': f._registration_cache_key(a['startUrl'], None, a['scopes']),
  'roleKey': creds(a['name'], a['startUrl']),
  'legacyRoleKey': creds(None, a['startUrl']),
}))
`;
    const input = JSON.stringify({ ...session, t0: T0, reg: T0 + 90 * 86400_000 });
    const r = spawnSync('/usr/bin/python3', ['-c', py], { input, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const cli = JSON.parse(r.stdout) as Record<string, string>;
    const { serializeRegistration } = await import('../../../src/core/auth/tokenCache');
    assert.equal(serializeToken(fullToken()), cli.token);
    assert.equal(serializeRegistration({ clientId: 'cid', clientSecret: 'cs', expiresAt: T0, scopes: session.scopes }), cli.registration);
    assert.equal(registrationCacheKey(session), cli.regKey);
    assert.equal(registrationCacheKey({ ...session, name: undefined }), cli.legacyRegKey);
    const role = { accountId: '111122223333', roleName: 'AdminRole' };
    assert.equal(roleCredentialCacheKey(session, role), cli.roleKey);
    assert.equal(roleCredentialCacheKey({ startUrl: session.startUrl }, role), cli.legacyRoleKey);
  });
});
