// A line diff for small files (longest common subsequence), to prove edits leave other lines alone.

/** Splits keeping each line's terminator, so a changed line ending counts as a changed line. */
export function rawLines(text: string): string[] {
  return text.match(/[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$/g) ?? [];
}

export interface Hunk {
  /** Lines [aStart, aEnd) of the old text were replaced by [bStart, bEnd) of the new one. */
  aStart: number;
  aEnd: number;
  bStart: number;
  bEnd: number;
}

/** Hunks of an LCS diff. O(n·m): meant for fixtures, not for megabyte files. */
export function diffLines(a: string[], b: string[]): Hunk[] {
  const n = a.length;
  const m = b.length;
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[i] === b[j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  const hunks: Hunk[] = [];
  let i = 0;
  let j = 0;
  let open: Hunk | undefined;
  const close = () => {
    if (open) {
      open.aEnd = i;
      open.bEnd = j;
      hunks.push(open);
      open = undefined;
    }
  };
  while (i < n || j < m) {
    if (i < n && j < m && a[i] === b[j]) {
      close();
      i++;
      j++;
      continue;
    }
    open ??= { aStart: i, aEnd: i, bStart: j, bEnd: j };
    if (j < m && (i >= n || lcs[i * w + j + 1] >= lcs[(i + 1) * w + j])) j++;
    else i++;
  }
  close();
  return hunks;
}
