// The extension's globalState as we use it: a write that VS Code's copy lost is written again, and a
// read during a write returns it. No `vscode` import: unit-tested.
//
// Why: the extension host keeps one object per extension and replaces it whole whenever the main
// process reports a change to it (ExtHostMemento's onDidChangeStorage sets `_value = e.value`). An
// echo of an earlier write that arrives between update(k, v) and the flush that stores it replaces
// the copy holding v, so get(k) answers the older value and the flush stores it: the write is lost.
// Seen in the host tests as a remembered console choice or expiry notice read back stale.

/** The part of vscode.Memento we use. */
export interface MementoLike {
  get<T>(key: string): T | undefined;
  get<T>(key: string, defaultValue: T): T;
  update(key: string, value: unknown): Thenable<void>;
  keys(): readonly string[];
}

/**
 * `inner`, where a value being written is what a read returns until the write has settled, and a
 * write that VS Code's copy lost is written again (once). After that, reads are `inner`'s again, so
 * a change from elsewhere (another window, Settings Sync) is seen.
 */
export function keepOwnWrites<M extends MementoLike>(inner: M): M {
  const pending = new Map<string, { value: unknown }>();
  const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);
  const read = (key: string): unknown => (pending.has(key) ? pending.get(key)!.value : inner.get(key));
  const wrapper: MementoLike = {
    get<T>(key: string, defaultValue?: T): T | undefined {
      const v = read(key) as T | undefined;
      return v === undefined ? defaultValue : v;
    },
    async update(key: string, value: unknown): Promise<void> {
      const mine = { value };
      pending.set(key, mine);
      try {
        await inner.update(key, value);
        // A later write of ours has the last word; otherwise check what VS Code kept.
        if (pending.get(key) === mine && !same(inner.get(key), value)) await inner.update(key, value);
      } finally {
        if (pending.get(key) === mine) pending.delete(key);
      }
    },
    keys: () => [...new Set([...inner.keys(), ...pending.keys()])].filter((k) => read(k) !== undefined),
  };
  // Everything else (setKeysForSync) is the real memento's.
  return new Proxy(inner, { get: (target, p, receiver) => (p in wrapper ? wrapper[p as keyof MementoLike] : Reflect.get(target, p, receiver)) });
}
