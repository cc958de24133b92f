// keepOwnWrites: globalState as the extension host behaves when an echo of an older write replaces
// its copy between an update and the flush that stores it (ExtHostMemento's onDidChangeStorage).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keepOwnWrites, MementoLike } from '../../../src/ui/ownWrites';

/** A memento whose stored object an "echo" can replace with an older one while a write is pending. */
function racyMemento() {
  let value: Record<string, unknown> = {};
  let stored: Record<string, unknown> = {};
  let echo: Record<string, unknown> | undefined;
  const writes: Array<Record<string, unknown>> = [];
  const m: MementoLike & { setKeysForSync(keys: string[]): void; synced?: string[] } = {
    get: (<T>(key: string, d?: T) => (key in value ? (value[key] as T) : d)) as MementoLike['get'],
    async update(key: string, v: unknown) {
      value = { ...value, [key]: v };
      // The echo of the previous state lands before the flush: the copy is replaced, then flushed.
      if (echo) {
        value = echo;
        echo = undefined;
      }
      await Promise.resolve();
      stored = { ...value };
      writes.push(stored);
    },
    keys: () => Object.keys(value),
    setKeysForSync(keys: string[]) {
      m.synced = keys;
    },
  };
  return { m, echoNext: () => (echo = { ...stored }), stored: () => stored, writes };
}

test('a write that an echo replaced is read back as written and stored again', async () => {
  const r = racyMemento();
  const raw = r.m;
  await raw.update('a', 1);
  r.echoNext();
  await raw.update('a', 2);
  assert.equal(raw.get('a'), 1, 'the bare memento loses the write (what the wrapper is for)');

  const s = racyMemento();
  const state = keepOwnWrites(s.m);
  await state.update('a', 1);
  s.echoNext();
  await state.update('a', 2);
  assert.equal(state.get('a'), 2);
  assert.equal(s.stored().a, 2, 'stored again after the echo');
  assert.equal(s.writes.length, 3, 'one extra write, only for the lost one');
});

test('defaults, keys, removal, and the rest of the memento (setKeysForSync) pass through', async () => {
  const s = racyMemento();
  const state = keepOwnWrites(s.m);
  assert.equal(state.get('x', 7), 7);
  await state.update('x', 'v');
  await state.update('y', 1);
  await state.update('y', undefined);
  assert.deepEqual([...state.keys()].sort(), ['x']);
  assert.equal(state.get('y', 'gone'), 'gone');
  (state as unknown as { setKeysForSync(k: string[]): void }).setKeysForSync(['x']);
  assert.deepEqual(s.m.synced, ['x']);
});

test('after a write settles, reads are the memento\u2019s again: a change from another window or Settings Sync is seen', async () => {
  const s = racyMemento();
  const state = keepOwnWrites(s.m);
  await state.update('pins', ['a']);
  await s.m.update('pins', ['b']);
  assert.deepEqual(state.get('pins'), ['b']);
});
