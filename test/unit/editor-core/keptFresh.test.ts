// Kept-fresh sections of the credentials file: written as ours (managed key), renewed in place,
// removed byte-exactly, private; never a section we did not write, never one with long-term keys.
import assert from 'node:assert/strict';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import {
  keptFreshSections,
  removeKeptFreshSections,
  removeKeptFreshSectionsSync,
  writeCredentialsProfile,
  writeKeptFreshSection,
} from '../../../src/core/credentials';
import { isSsoError } from '../../../src/core/errors';
import type { RoleCredentials } from '../../../src/core/types';
import { TempHome, tempHome } from '../../helpers/tempHome';

const creds = (n: number): RoleCredentials => ({
  accessKeyId: `ASIAKEPTFRESH000000${n}`,
  secretAccessKey: `secret/${n}+abcdefghijklmnopqrstuvwxyz0123456789`,
  sessionToken: `token${n}//////////wEaCXVzLWVhc3QtMSJHMEUCIQD+abc/def=`,
  expiration: Date.UTC(2026, 11, 3, 13, 0, 0),
});

const HAND = [
  '# my keys: keep every byte',
  '[default]',
  'aws_access_key_id = ASIAHANDWRITTEN00001',
  'aws_secret_access_key = hand',
  'aws_session_token = hand',
  '',
  '[long]',
  'aws_access_key_id = AKIAIOSFODNN7EXAMPLE',
  'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '',
].join('\r\n');

let home: TempHome;
let file: string;
beforeEach(async () => {
  home = await tempHome();
  file = home.paths.credentialsFile;
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, HAND, { mode: 0o644 });
});
afterEach(() => home.cleanup());

test('written as ours and private, renewed in place, removed back to the original bytes', async () => {
  await writeKeptFreshSection(file, 'dev', creds(1), { region: 'eu-west-1' });
  let text = await readFile(file, 'utf8');
  assert.ok(text.startsWith(HAND));
  assert.equal(
    text.slice(HAND.length),
    `\r\n[dev]\r\naws_access_key_id = ${creds(1).accessKeyId}\r\naws_secret_access_key = ${creds(1).secretAccessKey}\r\naws_session_token = ${creds(1).sessionToken}\r\nregion = eu-west-1\r\naws_sso_profiles_managed = true\r\n`,
  );
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(keptFreshSections(text), ['dev']);

  await writeKeptFreshSection(file, 'dev', creds(2), { region: 'eu-west-1' });
  text = await readFile(file, 'utf8');
  assert.ok(text.includes(creds(2).secretAccessKey) && !text.includes(creds(1).secretAccessKey));
  assert.equal(text.split('[dev]').length, 2, 'one section');

  assert.deepEqual(await removeKeptFreshSections(file, ['dev', 'default', 'long']), ['dev']);
  assert.equal(await readFile(file, 'utf8'), HAND);
});

test('a section holding long-term keys is refused, naming the migration check; the file is untouched', async () => {
  await assert.rejects(writeKeptFreshSection(file, 'long', creds(1)), (e) => {
    assert.ok(isSsoError(e, 'InvalidInput'));
    assert.match(e.message, /long-term access keys \(AKIA\*+MPLE\).*Check for Long-Term Access Keys/);
    assert.ok(!e.message.includes('AKIAIOSFODNN7EXAMPLE') && !e.message.includes('wJalr'));
    return true;
  });
  assert.equal(await readFile(file, 'utf8'), HAND);
});

test('a section we did not write (even with temporary keys) is refused and left alone', async () => {
  await writeCredentialsProfile(file, 'written', creds(3));
  const before = await readFile(file, 'utf8');
  for (const name of ['default', 'written']) {
    await assert.rejects(writeKeptFreshSection(file, name, creds(1)), (e) => isSsoError(e, 'InvalidInput') && /not written by aws-sso-profiles/.test(e.message));
  }
  assert.equal(await readFile(file, 'utf8'), before);
  assert.deepEqual(await removeKeptFreshSections(file, 'all'), []);
  assert.equal(await readFile(file, 'utf8'), before);
});

test('the synchronous removal (deactivate) removes every section of ours and nothing else, keeping the mode', async () => {
  await writeKeptFreshSection(file, 'a', creds(1));
  await writeKeptFreshSection(file, 'b', creds(2));
  assert.deepEqual(removeKeptFreshSectionsSync(file, 'all'), ['a', 'b']);
  assert.equal(await readFile(file, 'utf8'), HAND);
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
  assert.deepEqual(removeKeptFreshSectionsSync(file, 'all'), []);
  assert.deepEqual(removeKeptFreshSectionsSync(`${file}.missing`, 'all'), []);
});
