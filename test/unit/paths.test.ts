import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { resolveAwsPaths } from '../../src/core/paths';

test('AWS paths follow HOME, AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE', () => {
  const p = resolveAwsPaths({ HOME: '/h' });
  assert.equal(p.configFile, join('/h', '.aws', 'config'));
  assert.equal(p.credentialsFile, join('/h', '.aws', 'credentials'));
  assert.equal(p.ssoCacheDir, join('/h', '.aws', 'sso', 'cache'));
  assert.equal(p.cliCacheDir, join('/h', '.aws', 'cli', 'cache'));
  const q = resolveAwsPaths({ HOME: '/h', AWS_CONFIG_FILE: '~/cfg', AWS_SHARED_CREDENTIALS_FILE: '/c' });
  assert.equal(q.configFile, join('/h', 'cfg'));
  assert.equal(q.credentialsFile, '/c');
  assert.equal(resolveAwsPaths({ HOME: '/h', AWS_CONFIG_FILE: '/x' }, { configFile: '/y' }).configFile, '/y');
});
