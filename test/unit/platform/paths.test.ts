// ~/.aws as the AWS CLI finds it on Windows, macOS and Linux (botocore: os.path.expanduser).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveAwsPaths } from '../../../src/core/paths';

test('win32: the home is %USERPROFILE% (Python ignores HOME on Windows, e.g. the one Git Bash sets)', () => {
  const p = resolveAwsPaths({ HOME: '/c/Users/ana', USERPROFILE: 'C:\\Users\\ana' }, {}, 'win32');
  assert.equal(p.home, 'C:\\Users\\ana');
  assert.equal(p.configFile, 'C:\\Users\\ana\\.aws\\config');
  assert.equal(p.credentialsFile, 'C:\\Users\\ana\\.aws\\credentials');
  assert.equal(p.ssoCacheDir, 'C:\\Users\\ana\\.aws\\sso\\cache');
  assert.equal(p.cliCacheDir, 'C:\\Users\\ana\\.aws\\cli\\cache');
});

test('win32: without USERPROFILE, HOMEDRIVE + HOMEPATH', () => {
  const p = resolveAwsPaths({ HOMEDRIVE: 'D:', HOMEPATH: '\\Users\\bo' }, {}, 'win32');
  assert.equal(p.configFile, 'D:\\Users\\bo\\.aws\\config');
});

test('win32: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE with drive letters, forward slashes, ~ and long paths', () => {
  const long = `E:\\${'deep\\'.repeat(60)}config`;
  const p = resolveAwsPaths(
    { USERPROFILE: 'C:\\Users\\ana', AWS_CONFIG_FILE: 'D:/aws/config', AWS_SHARED_CREDENTIALS_FILE: '~\\creds\\credentials' },
    {},
    'win32',
  );
  assert.equal(p.configFile, 'D:\\aws\\config');
  assert.equal(p.credentialsFile, 'C:\\Users\\ana\\creds\\credentials');
  assert.equal(resolveAwsPaths({ USERPROFILE: 'C:\\Users\\ana', AWS_CONFIG_FILE: '~/x/config' }, {}, 'win32').configFile, 'C:\\Users\\ana\\x\\config');
  const l = resolveAwsPaths({ USERPROFILE: 'C:\\Users\\ana', AWS_CONFIG_FILE: long }, {}, 'win32').configFile;
  assert.equal(l, long, 'over MAX_PATH (260) kept whole: Node namespaces it (\\\\?\\) for each fs call');
  assert.ok(l.length > 260);
});

test('darwin: /Users homes, ~ expanded, nothing else differs from Linux', () => {
  const env = { HOME: '/Users/ana', AWS_CONFIG_FILE: '~/work/config' };
  const mac = resolveAwsPaths(env, {}, 'darwin');
  assert.equal(mac.configFile, '/Users/ana/work/config');
  assert.equal(mac.credentialsFile, '/Users/ana/.aws/credentials');
  assert.equal(mac.ssoCacheDir, '/Users/ana/.aws/sso/cache');
  assert.deepEqual(resolveAwsPaths(env, {}, 'linux'), mac);
});

test('POSIX: `~\\x` is a file name, not the home (posixpath.expanduser splits at / only)', () => {
  const p = resolveAwsPaths({ HOME: '/home/ana', AWS_CONFIG_FILE: '/etc/aws/~\\x' }, {}, 'linux');
  assert.equal(p.configFile, '/etc/aws/~\\x');
  assert.equal(resolveAwsPaths({ HOME: '/home/ana', AWS_CONFIG_FILE: '~' }, {}, 'linux').configFile, '/home/ana');
});
