// Counts in words: the one place that picks "1 profile" or "3 profiles", never a noun with "(s)" appended.

/**
 * `one` when `n` is 1, else `other`. Both are whole, already-translated messages (each its own
 * l10n string, such as t('{0} new profile', n) and t('{0} new profiles', n)), so a translation
 * can word each form freely.
 */
export function plural(n: number, one: string, other: string): string {
  return n === 1 ? one : other;
}
