// How much of a session is left, as people are told it: one arithmetic (what is shown floors to
// seconds, minutes, hours and minutes, or days and hours), the short form the CLI and the
// editor print, and the instants at which what is shown changes. The editor spells it out in
// words (src/ui/status/statusText.ts) from the same `timeLeft`.

export type TimeLeft =
  | { unit: 'expired' }
  | { unit: 'seconds'; seconds: number }
  | { unit: 'minutes'; minutes: number }
  | { unit: 'hours'; hours: number; minutes: number }
  | { unit: 'days'; days: number; hours: number };

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
/** Under this, hours and minutes; from it, days and hours. */
const DAYS_FROM = 48 * HOUR;

export function timeLeft(expiresAt: number, now: number): TimeLeft {
  const ms = expiresAt - now;
  if (ms <= 0) return { unit: 'expired' };
  const s = Math.floor(ms / SECOND);
  if (s < 60) return { unit: 'seconds', seconds: s };
  const m = Math.floor(s / 60);
  if (m < 60) return { unit: 'minutes', minutes: m };
  const h = Math.floor(m / 60);
  if (ms < DAYS_FROM) return { unit: 'hours', hours: h, minutes: m % 60 };
  return { unit: 'days', days: Math.floor(h / 24), hours: h % 24 };
}

/** "7h 42m", "12m", "45s", "3d 0h", or "expired". */
export function describeRemaining(expiresAt: number, now: number): string {
  const left = timeLeft(expiresAt, now);
  switch (left.unit) {
    case 'expired':
      return 'expired';
    case 'seconds':
      return `${left.seconds}s`;
    case 'minutes':
      return `${left.minutes}m`;
    case 'hours':
      return `${left.hours}h ${left.minutes}m`;
    case 'days':
      return `${left.days}d ${left.hours}h`;
  }
}

/** The next instant after `now` at which `timeLeft(expiresAt, ·)` differs. */
export function nextTimeLeftChange(expiresAt: number, now: number): number {
  const ms = expiresAt - now;
  const unit = ms < MINUTE ? SECOND : ms < DAYS_FROM ? MINUTE : HOUR;
  const k = Math.floor(ms / unit);
  // What is shown floors, so it still shows k units at exactly k units left and changes 1 ms
  // later; below one second it shows "0s" until the expiry itself.
  return k === 0 ? expiresAt : expiresAt - k * unit + 1;
}
