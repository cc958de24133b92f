// core/keepers: the last process to stop keeping credentials fresh is told so; a crashed one's file does not count and goes.
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { joinKeepers, leaveKeepersSync, pidAlive } from '../../src/core/keepers';

test('two keepers: the first to leave sees the other; the last sees none', async () => {
  const dir = join(await mkdtemp(join(tmpdir(), 'keepers-')), 'windows');
  joinKeepers(dir, 101);
  joinKeepers(dir, 202);
  const alive = (pid: number) => existsSync(join(dir, String(pid)));
  assert.equal(leaveKeepersSync(dir, 101, alive), 1);
  assert.deepEqual(readdirSync(dir), ['202']);
  assert.equal(leaveKeepersSync(dir, 202, alive), 0);
  assert.deepEqual(readdirSync(dir), []);
});

test("a crashed keeper's file does not count and is removed", async () => {
  const dir = await mkdtemp(join(tmpdir(), 'keepers-'));
  joinKeepers(dir, 101);
  joinKeepers(dir, 303);
  assert.equal(leaveKeepersSync(dir, 101, () => false), 0);
  assert.deepEqual(readdirSync(dir), []);
});

test('a directory that does not exist: no other keeper', () => {
  assert.equal(leaveKeepersSync(join(tmpdir(), 'keepers-none', String(Math.random())), 101), 0);
});

test('pidAlive: this process runs; a pid beyond the kernel limit does not', () => {
  assert.equal(pidAlive(process.pid), true);
  assert.equal(pidAlive(2 ** 22 + 17), false);
});
