import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseScopes, scopesOrDefault } from '../../../src/core/scopes';
import { DEFAULT_SSO_REGION, defaultShell, nameProblem, regionProblem, scopesProblem, SSO_REGIONS, startUrlProblem } from '../../../src/ui/inputs';

const t = (m: string, ...args: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(args[Number(i)]));

test('start URLs: a bare host, an awsapps.com URL and plain http (upgraded) pass; other schemes are refused with a message', () => {
  assert.equal(startUrlProblem('aws.example.com/', t), undefined);
  assert.equal(startUrlProblem('https://d-1234567890.awsapps.com/start', t), undefined);
  assert.equal(startUrlProblem('http://aws.example.com/', t), undefined);
  assert.match(startUrlProblem('ftp://x/', t)!, /https/);
  assert.match(startUrlProblem('', t)!, /empty/);
  assert.match(startUrlProblem('https://user:pw@x.example.com/', t)!, /password/);
});

test('regions: us-east-1 is the default and listed first; names are checked', () => {
  assert.equal(DEFAULT_SSO_REGION, 'us-east-1');
  assert.equal(SSO_REGIONS[0], 'us-east-1');
  assert.equal(new Set(SSO_REGIONS).size, SSO_REGIONS.length);
  for (const r of SSO_REGIONS) assert.equal(regionProblem(r, t), undefined, r);
  assert.match(regionProblem('useast1', t)!, /not an AWS region/);
});

test('names: the characters every AWS SDK reads, at most 128', () => {
  for (const ok of ['dev', 'payments-prod.ReadOnly', 'a/b:c@d+e%f_g']) assert.equal(nameProblem('profile', ok, t), undefined, ok);
  for (const bad of ['has space', 'x#y', 'é', '[x]', '__proto__', 'a'.repeat(129)]) assert.ok(nameProblem('profile', bad, t), bad);
  assert.match(nameProblem('session', '  ', t)!, /name/);
  assert.equal(nameProblem('credentials', 'dev', t), undefined);
  assert.match(nameProblem('credentials', 'DEFAULT', t)!, /reserved/);
  assert.equal(nameProblem('profile', 'DEFAULT', t), undefined);
});

test('scopes: commas or spaces, duplicates dropped, default when empty', () => {
  assert.deepEqual(parseScopes('sso:account:access, codewhisperer:completions  sso:account:access', 'typed'), ['sso:account:access', 'codewhisperer:completions']);
  assert.deepEqual(scopesOrDefault(parseScopes('', 'typed')), ['sso:account:access']);
  // The config file's value is read as the AWS CLI reads it: commas only.
  assert.deepEqual(parseScopes(' a , b c,,', 'file'), ['a', 'b c']);
  assert.equal(scopesProblem('sso:account:access', t), undefined);
  assert.ok(scopesProblem('a;b', t));
});

test('the default shell follows the platform', () => {
  assert.equal(defaultShell('win32'), 'powershell');
  assert.equal(defaultShell('linux'), 'bash');
  assert.equal(defaultShell('darwin'), 'bash');
});
