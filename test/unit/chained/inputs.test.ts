// What Create Chained Profile accepts as the user types: the core's rules (names.ts), in words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalIdProblem, roleArnProblem, roleSessionNameProblem } from '../../../src/ui/inputs';

const t = (m: string, ...a: unknown[]) => m.replace(/\{(\d+)\}/g, (_x, i: string) => String(a[Number(i)]));

test('the role ARN: IAM form and the session partition; the message names the partition', () => {
  assert.equal(roleArnProblem(' arn:aws:iam::222222222222:role/ci/Deployer ', 'aws', t), undefined);
  assert.match(roleArnProblem('arn:aws:iam::222222222222:user/x', 'aws', t)!, /arn:aws:iam::ACCOUNT:role\/NAME/);
  assert.match(roleArnProblem('arn:aws:iam::222222222222:role/X', 'aws-cn', t)!, /another AWS partition than the session \(aws-cn\)/);
});

test('the external ID is optional; the session name is what STS accepts', () => {
  assert.equal(externalIdProblem('', t), undefined);
  assert.equal(externalIdProblem('ext-42', t), undefined);
  assert.ok(externalIdProblem('a b', t));
  assert.equal(roleSessionNameProblem('alice', t), undefined);
  assert.ok(roleSessionNameProblem('a', t));
});
