// A temporary HOME with one [sso-session] and helpers to seed and inspect the token cache.
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { tokenFilePath, writeTokenFile } from '../../src/core/auth/tokenCache';
import type { AwsPaths } from '../../src/core/paths';
import type { CachedToken, SsoSession } from '../../src/core/types';
import type { FakeIdentityCenter } from '../fakes/identityCenter';
import { tempHome, TempHome } from './tempHome';

export const SESSION: SsoSession & { name: string } = {
  name: 'corp',
  startUrl: 'https://d-9067000000.awsapps.com/start',
  region: 'us-east-1',
  scopes: ['sso:account:access'],
};

export const SESSION_CONFIG = `[sso-session corp]\nsso_start_url = ${SESSION.startUrl}\nsso_region = us-east-1\nsso_registration_scopes = sso:account:access\n`;

export interface TrustHome extends TempHome {
  /** HOME and AWS_* of the temp home plus the fake's endpoint variables. */
  fullEnv: NodeJS.ProcessEnv;
}

export async function trustHome(fake: FakeIdentityCenter, config = SESSION_CONFIG): Promise<TrustHome> {
  const h = await tempHome('aws-sso-trust-');
  await mkdir(dirname(h.paths.configFile), { recursive: true });
  await writeFile(h.paths.configFile, config);
  return { ...h, fullEnv: { ...h.env, ...fake.env() } };
}

/** Writes a token the fake knows, expiring (for the client) `expiresInMs` after `now`. */
export async function seedToken(fake: FakeIdentityCenter, paths: AwsPaths, expiresInMs: number, now = Date.now()): Promise<CachedToken> {
  const m = fake.mintToken({ withRefresh: true });
  const token: CachedToken = {
    startUrl: SESSION.startUrl,
    region: SESSION.region,
    accessToken: m.accessToken,
    expiresAt: Math.floor((now + expiresInMs) / 1000) * 1000,
    clientId: m.clientId,
    clientSecret: m.clientSecret,
    registrationExpiresAt: m.registrationExpiresAt,
    refreshToken: m.refreshToken,
  };
  await writeTokenFile(paths, SESSION, token);
  return token;
}

/** The token file is whole: valid JSON with an access token, mode 0600, no temp files beside it. */
export async function assertTokenFile(paths: AwsPaths, msg = ''): Promise<Record<string, unknown>> {
  const file = tokenFilePath(paths, SESSION);
  const text = await readFile(file, 'utf8');
  let v: Record<string, unknown>;
  try {
    v = JSON.parse(text) as Record<string, unknown>;
  } catch {
    assert.fail(`${msg}: the token file is not valid JSON (${text.length} bytes)`);
  }
  assert.equal(typeof v.accessToken, 'string', `${msg}: accessToken`);
  assert.match(String(v.expiresAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${msg}: expiresAt`);
  if (process.platform !== 'win32') {
    assert.equal((await stat(file)).mode & 0o777, 0o600, `${msg}: token file mode`);
    assert.equal((await stat(paths.ssoCacheDir)).mode & 0o777, 0o700, `${msg}: cache folder mode`);
  }
  assert.deepEqual((await readdir(paths.ssoCacheDir)).filter((f) => f.endsWith('.tmp')), [], `${msg}: temp files left`);
  return v;
}
