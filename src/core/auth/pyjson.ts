// Python's json.dumps, byte for byte, for the plain values the AWS CLI puts in its cache files and keys.

export interface PyDumpsOptions {
  sortKeys?: boolean;
  /** Python's `separators=(item, key)`; the default is `(', ', ': ')`. */
  separators?: [string, string];
}

// Python escapes every character outside printable ASCII (ensure_ascii=True), including DEL,
// which JSON.stringify leaves alone; both use lowercase hex.
function pyString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function pyNumber(n: number): string {
  if (!Number.isFinite(n)) throw new TypeError('NaN and Infinity have no JSON form');
  // Integers print alike; Python's float repr differs for some values, which the cache never holds.
  return String(n);
}

/** Python's `json.dumps(value, sort_keys=…, separators=…)` with the default `ensure_ascii`. */
export function pyJsonDumps(value: unknown, opts: PyDumpsOptions = {}): string {
  const [itemSep, keySep] = opts.separators ?? [', ', ': '];
  const dump = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (typeof v === 'string') return pyString(v);
    if (typeof v === 'number') return pyNumber(v);
    if (typeof v === 'boolean') return v ? 'true' : 'false';
    if (Array.isArray(v)) return '[' + v.map(dump).join(itemSep) + ']';
    if (typeof v === 'object') {
      let keys = Object.keys(v as object).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
      // Python compares code points; for the ASCII keys used here that equals UTF-16 order.
      if (opts.sortKeys) keys = keys.sort();
      return '{' + keys.map((k) => pyString(k) + keySep + dump((v as Record<string, unknown>)[k])).join(itemSep) + '}';
    }
    throw new TypeError(`${typeof v} is not JSON serializable`);
  };
  return dump(value);
}
