// What the Sessions store remembers between starts: used only while the file is unchanged, and never a secret.
import assert from 'node:assert/strict';
import { mkdir, rename, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { sessionsInConfig } from '../../../src/core/sessions';
import { fileIdentity, rememberedSessions, rememberedTokens, rememberSessions, rememberTokens, SessionMemory, tokenKey } from '../../../src/ui/sessionMemory';
import { tokenState } from '../../../src/ui/sessionsModel';
import { tempHome } from '../../helpers/tempHome';

function memory(): SessionMemory & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return { data, get: <T>(k: string) => data.get(k) as T | undefined, update: async (k, v) => void data.set(k, JSON.parse(JSON.stringify(v))) };
}

const CONFIG = '[sso-session a]\nsso_start_url = https://d-1111111111.awsapps.com/start\nsso_region = eu-west-1\n';

test('the sessions of a config file are remembered with its identity and used only while it is unchanged', async () => {
  const home = await tempHome();
  try {
    const file = home.paths.configFile;
    await mkdir(join(home.dir, '.aws'), { recursive: true });
    await writeFile(file, CONFIG);
    const m = memory();
    const id = fileIdentity(file);
    assert.equal(rememberedSessions(m, file, id), undefined, 'nothing before the first read');
    rememberSessions(m, file, id, sessionsInConfig(CONFIG));
    await Promise.resolve();
    assert.deepEqual(rememberedSessions(m, file, fileIdentity(file)), sessionsInConfig(CONFIG), 'the next start, file unchanged');
    assert.equal(rememberedSessions(m, `${file}.other`, fileIdentity(file)), undefined, 'another config file');

    // The same size, another region: an editor's save changes the modification time.
    await writeFile(file, CONFIG.replace('eu-west-1', 'eu-west-2'));
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    assert.equal(rememberedSessions(m, file, fileIdentity(file)), undefined, 'an edit of the same size');
    // A rewrite by rename (how we, the CLI's atomic writers and many editors save) changes the inode.
    await writeFile(`${file}.tmp`, CONFIG);
    await rename(`${file}.tmp`, file);
    assert.equal(rememberedSessions(m, file, fileIdentity(file)), undefined, 'a file replaced by rename');
    assert.equal(fileIdentity(join(home.dir, 'missing')), 'none');
    assert.equal(rememberedSessions(m, file, ''), undefined, 'an unreadable file is never taken as remembered');
  } finally {
    await home.cleanup();
  }
});

test('token states are remembered by session and file identity, without the token', async () => {
  const home = await tempHome();
  try {
    const m = memory();
    const s = { name: 'a', startUrl: 'https://d-1111111111.awsapps.com/start' };
    const file = join(home.dir, 'token.json');
    const secret = { startUrl: s.startUrl, region: 'eu-west-1', accessToken: 'SECRET-access', refreshToken: 'SECRET-refresh', clientId: 'c', clientSecret: 'SECRET-client', registrationExpiresAt: 2e12, expiresAt: 1e12 };
    await writeFile(file, JSON.stringify(secret));
    rememberTokens(m, { [tokenKey(home.paths, s)]: { file, id: fileIdentity(file), state: tokenState(secret) } });
    await Promise.resolve();
    const got = rememberedTokens(m)[tokenKey(home.paths, s)];
    assert.deepEqual(got.state, { expiresAt: 1e12, refreshableUntil: 2e12 });
    assert.equal(got.id, fileIdentity(file));
    assert.ok(!JSON.stringify([...m.data.values()]).includes('SECRET'), 'no token, refresh token or client secret is remembered');
    assert.notEqual(tokenKey(home.paths, s), tokenKey(home.paths, { startUrl: s.startUrl }), 'a legacy profile of the same portal is another token file');
  } finally {
    await home.cleanup();
  }
});
