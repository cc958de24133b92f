// The fresh-machine set-up (scripts/setup-test-deps.mjs): what it installs for which machine, that
// `npm test` and `.ci/run` go through it, and that .ci/run is the README's commands and nothing else.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
// @ts-expect-error plain .mjs script without types
import { AWS_CLI, CHROMIUM, installCommand, planSetup } from '../../../scripts/setup-test-deps.mjs';

type Machine = { commands?: string[]; files?: string[]; debs?: string[]; aws?: string; codeServer?: boolean };

function probe(m: Machine) {
  return {
    hasCommand: (n: string) => (m.commands ?? []).includes(n),
    isExecutable: (p: string) => (m.files ?? []).includes(p),
    dpkgInstalled: (p: string) => (m.debs ?? []).includes(p),
    awsVersion: () => m.aws ?? '',
    codeServerInstalled: () => m.codeServer ?? false,
  };
}

const complete: Machine = { commands: ['python3'], files: [AWS_CLI, CHROMIUM], aws: 'aws-cli/2.9.19 Python/3.11.2', codeServer: true };

test('a machine with everything needs nothing (no apt-get call)', () => {
  assert.deepEqual(planSetup(probe(complete)), { packages: [], problems: [] });
});

test('a fresh machine with only Node and npm gets every Debian package in one install', () => {
  assert.deepEqual(planSetup(probe({})), { packages: ['python3', 'awscli', 'chromium', 'libkrb5-dev'], problems: [] });
});

test('libkrb5-dev is wanted only while code-server still has to be built', () => {
  assert.deepEqual(planSetup(probe({ ...complete, codeServer: false })).packages, ['libkrb5-dev']);
  assert.deepEqual(planSetup(probe({ ...complete, codeServer: false, debs: ['libkrb5-dev'] })).packages, []);
});

test('an AWS CLI v1 at /usr/bin/aws is a problem named, not silently accepted', () => {
  const { packages, problems } = planSetup(probe({ ...complete, aws: 'aws-cli/1.27.0 Python/3.11' }));
  assert.deepEqual(packages, []);
  assert.match(problems[0], /not the AWS CLI v2.*aws-cli\/1\.27\.0/);
});

test('root installs with apt-get update first; anyone else is told the exact sudo line', () => {
  assert.equal(installCommand(['awscli', 'chromium'], true), 'apt-get update && apt-get install -y --no-install-recommends awscli chromium');
  assert.equal(installCommand(['awscli'], false), 'sudo apt-get update && sudo apt-get install -y --no-install-recommends awscli');
});

test('npm test runs the set-up first, and .ci/run is the README\'s `npm ci && npm test`', () => {
  const scripts = JSON.parse(readFileSync('package.json', 'utf8')).scripts as Record<string, string>;
  assert.match(scripts.test, /^node scripts\/setup-test-deps\.mjs && /);
  const commands = readFileSync('.ci/run', 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#') && !/^(set |cd |t0=|step\b|step\(\))/.test(l));
  assert.deepEqual(commands, ['npm ci', 'npm test']);
  const readme = readFileSync('README.md', 'utf8');
  assert.match(readme, /^npm ci && npm run sandbox\b/m);
  assert.match(readme, /^npm test\b/m);
  assert.match(readme, /scripts\/setup-test-deps\.mjs/);
});
