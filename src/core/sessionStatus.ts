// The status bar's words for the SSO sessions, as a pure function of the sessions and the time.
//
// Text, colour, tooltip, screen-reader label, and when any of them will next change.
import { describeRemaining } from './status';

export interface SessionState {
  name: string;
  startUrl: string;
  region: string;
  /** When the cached access token expires (epoch ms); undefined when signed out. */
  expiresAt?: number;
  /** The token can be renewed without the user (a refresh token and a live client registration). */
  refreshable: boolean;
  /**
   * Optional: when renewing stops working (the client registration's expiry, epoch ms). After
   * it the session counts as not refreshable. Undefined: `refreshable` holds indefinitely.
   */
  refreshableUntil?: number;
}

export type StatusSeverity = 'none' | 'ok' | 'warning' | 'error';

export interface StatusOptions {
  /** A session that cannot renew itself turns to a warning when less than this remains. */
  warnMinutes: number;
  /** Appended as ` · name`. */
  activeProfile?: string;
  /** Describe this session (e.g. the one the active profile uses) instead of picking one. */
  activeSession?: string;
}

export interface StatusView {
  text: string;
  severity: StatusSeverity;
  /** One line per session, in the order given, then the active profile. */
  tooltip: string[];
  /**
   * The earliest time (epoch ms) at which any field above will differ, so the caller can set one
   * timer instead of ticking. Undefined when nothing changes with time alone.
   */
  nextChangeAt?: number;
  accessibilityLabel: string;
}

type Phase = 'signed-out' | 'valid' | 'expired';

function phase(s: SessionState, now: number): Phase {
  if (s.expiresAt === undefined || !Number.isFinite(s.expiresAt)) return 'signed-out';
  return s.expiresAt > now ? 'valid' : 'expired';
}

function canRefresh(s: SessionState, now: number): boolean {
  return s.refreshable && (s.refreshableUntil === undefined || now < s.refreshableUntil);
}

/** A session that will stop working on its own and is inside the warning window. */
function needsWarning(s: SessionState, now: number, warnMs: number): boolean {
  return phase(s, now) === 'valid' && s.expiresAt! - now < warnMs && !canRefresh(s, now);
}

function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/**
 * `describeRemaining` in words ("7 hours 42 minutes"). Same arithmetic, so both change at the
 * same instants.
 */
export function spellRemaining(expiresAt: number, now: number): string {
  const ms = expiresAt - now;
  if (ms <= 0) return 'no time';
  const s = Math.floor(ms / 1000);
  if (s < 60) return plural(s, 'second');
  const m = Math.floor(s / 60);
  if (m < 60) return plural(m, 'minute');
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 === 0 ? plural(h, 'hour') : `${plural(h, 'hour')} ${plural(m % 60, 'minute')}`;
  const d = Math.floor(h / 24);
  return h % 24 === 0 ? plural(d, 'day') : `${plural(d, 'day')} ${plural(h % 24, 'hour')}`;
}

/** The next instant after `now` at which `describeRemaining(expiresAt, ·)` shows something else. */
function nextTextChange(expiresAt: number, now: number): number {
  const ms = expiresAt - now;
  const unit = ms < 60_000 ? 1000 : ms < 48 * 3_600_000 ? 60_000 : 3_600_000;
  const k = Math.floor(ms / unit);
  // The display floors, so it still shows k units at exactly k units left and changes 1 ms
  // later; below one second it shows "0s" until the expiry itself.
  return k === 0 ? expiresAt : expiresAt - k * unit + 1;
}

function where(s: SessionState): string {
  let host = s.startUrl;
  try {
    host = new URL(s.startUrl).host;
  } catch {
    // An unparsable start URL is shown as written.
  }
  return `${host}, ${s.region}`;
}

function tooltipLine(s: SessionState, now: number, warnMs: number): string {
  const head = `${s.name} (${where(s)})`;
  switch (phase(s, now)) {
    case 'signed-out':
      return `${head}: signed out`;
    case 'expired':
      return canRefresh(s, now) ? `${head}: expired, renews on next use` : `${head}: expired, sign in again`;
    case 'valid': {
      const left = `${head}: expires in ${describeRemaining(s.expiresAt!, now)}`;
      if (canRefresh(s, now)) return `${left}, renews automatically`;
      return needsWarning(s, now, warnMs) ? `${left}, sign in again soon` : left;
    }
  }
}

/** The session the text describes. */
function pick(states: SessionState[], now: number, warnMs: number, active?: string): SessionState | undefined {
  if (active !== undefined) {
    const a = states.find((s) => s.name === active);
    if (a) return a;
  }
  const valid = states.filter((s) => phase(s, now) === 'valid');
  if (valid.length > 0) {
    // The soonest to expire; but one that will lapse without the user comes first, else a
    // renewing session could hide it until it has expired.
    return valid.reduce((best, s) => {
      const bw = needsWarning(best, now, warnMs);
      const sw = needsWarning(s, now, warnMs);
      if (sw !== bw) return sw ? s : best;
      return s.expiresAt! < best.expiresAt! ? s : best;
    });
  }
  const expired = states.filter((s) => phase(s, now) === 'expired');
  if (expired.length > 0) return expired.find((s) => !canRefresh(s, now)) ?? expired[0];
  return states.length === 1 ? states[0] : undefined;
}

function render(states: SessionState[], now: number, opts: StatusOptions): Omit<StatusView, 'nextChangeAt'> {
  const warnMs = Math.max(0, opts.warnMinutes) * 60_000;
  const suffix = opts.activeProfile ? ` · ${opts.activeProfile}` : '';
  const labelSuffix = opts.activeProfile ? `, profile ${opts.activeProfile} active` : '';
  const tooltip = states.length > 0 ? states.map((s) => tooltipLine(s, now, warnMs)) : ['No AWS SSO session is configured.'];
  if (opts.activeProfile) tooltip.push(`Active profile: ${opts.activeProfile}`);

  const s = pick(states, now, warnMs, opts.activeSession);
  const p = s ? phase(s, now) : 'signed-out';
  if (!s || p === 'signed-out') {
    return {
      text: `AWS SSO: signed out${suffix}`,
      severity: 'none',
      tooltip,
      accessibilityLabel: s ? `AWS SSO session ${s.name} is signed out${labelSuffix}` : `AWS SSO signed out${labelSuffix}`,
    };
  }
  if (p === 'expired') {
    const renews = canRefresh(s, now);
    return {
      text: `AWS SSO: expired${suffix}`,
      severity: renews ? 'warning' : 'error',
      tooltip,
      accessibilityLabel: `AWS SSO session ${s.name} has expired${renews ? ' and renews on next use' : ', sign in again'}${labelSuffix}`,
    };
  }
  const renews = canRefresh(s, now);
  return {
    text: `AWS SSO: ${describeRemaining(s.expiresAt!, now)}${suffix}`,
    severity: needsWarning(s, now, warnMs) ? 'warning' : 'ok',
    tooltip,
    accessibilityLabel:
      `AWS SSO session ${s.name} expires in ${spellRemaining(s.expiresAt!, now)}` +
      `${renews ? ' and renews automatically' : ''}${labelSuffix}`,
  };
}

function same(a: Omit<StatusView, 'nextChangeAt'>, b: Omit<StatusView, 'nextChangeAt'>): boolean {
  return (
    a.text === b.text &&
    a.severity === b.severity &&
    a.accessibilityLabel === b.accessibilityLabel &&
    a.tooltip.length === b.tooltip.length &&
    a.tooltip.every((l, i) => l === b.tooltip[i])
  );
}

export function describeStatus(states: SessionState[], now: number, opts: StatusOptions): StatusView {
  const view = render(states, now, opts);
  const warnMs = Math.max(0, opts.warnMinutes) * 60_000;
  // Every instant at which some input to `render` flips; the first one that really changes the
  // output is the answer (a flip can be invisible, e.g. the warning line of a renewing session).
  const candidates = new Set<number>();
  for (const s of states) {
    if (phase(s, now) === 'valid') {
      candidates.add(nextTextChange(s.expiresAt!, now));
      const warnAt = s.expiresAt! - warnMs + 1;
      if (warnAt > now) candidates.add(warnAt);
    }
    if (s.refreshable && s.refreshableUntil !== undefined && s.refreshableUntil > now) candidates.add(s.refreshableUntil);
  }
  for (const t of [...candidates].sort((a, b) => a - b)) {
    if (!same(view, render(states, t, opts))) return { ...view, nextChangeAt: t };
  }
  return view;
}
