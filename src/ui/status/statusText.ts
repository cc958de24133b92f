// The status bar's words for the SSO sessions, as a pure function of the sessions, the time and a
// Translate (vscode.l10n.t in the editor): text, colour, tooltip, screen-reader label, and when
// any of them will next change. No `vscode` import: unit-tested.
import { plural } from '../../core/plural';
import { stillRenewable } from '../../core/auth/renewable';
import { phaseOf, SignInPhase } from '../sessionsModel';
import { describeRemaining, nextTimeLeftChange, timeLeft } from '../../core/timeLeft';
import type { Translate } from '../errorAdvice';

export interface SessionState {
  name: string;
  startUrl: string;
  region: string;
  /** When the cached access token expires (epoch ms); undefined when signed out. */
  expiresAt?: number;
  /**
   * Until when the token renews itself without the user (the client registration's expiry, epoch
   * ms); undefined when it cannot (no refresh token or client). See core/auth/refresh.ts stillRenewable.
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
  /**
   * The earliest time at which the status bar item itself (text, colour, screen-reader label)
   * will differ; a change of the tooltip alone does not count. Undefined as nextChangeAt.
   */
  nextBarChangeAt?: number;
  accessibilityLabel: string;
  /** The session the text describes, if any: the status menu offers its action first. */
  session?: string;
}

// Signed in, expired or signed out: the tree's rule (sessionsModel.ts phaseOf), not a copy.
const phase = (s: SessionState, now: number): SignInPhase => phaseOf(s, now);

/** A session that will stop working on its own and is inside the warning window. */
function needsWarning(s: SessionState, now: number, warnMs: number): boolean {
  return phase(s, now) === 'signedIn' && s.expiresAt! - now < warnMs && !stillRenewable(s.refreshableUntil, now);
}

/** `describeRemaining` in words ("7 hours 42 minutes"), from the same `timeLeft`. */
function spellRemaining(expiresAt: number, now: number, t: Translate): string {
  const left = timeLeft(expiresAt, now);
  const seconds = (n: number) => plural(n, t('1 second'), t('{0} seconds', n));
  const minutes = (n: number) => plural(n, t('1 minute'), t('{0} minutes', n));
  const hours = (n: number) => plural(n, t('1 hour'), t('{0} hours', n));
  const days = (n: number) => plural(n, t('1 day'), t('{0} days', n));
  switch (left.unit) {
    case 'expired':
      return t('no time');
    case 'seconds':
      return seconds(left.seconds);
    case 'minutes':
      return minutes(left.minutes);
    case 'hours':
      return left.minutes === 0 ? hours(left.hours) : t('{0} {1}', hours(left.hours), minutes(left.minutes));
    case 'days':
      return left.hours === 0 ? days(left.days) : t('{0} {1}', days(left.days), hours(left.hours));
  }
}

// A start URL's host, parsed once: every render (several per update) shows every session's.
const hosts = new Map<string, string>();

function where(s: SessionState): string {
  let host = hosts.get(s.startUrl);
  if (host === undefined) {
    try {
      host = new URL(s.startUrl).host;
    } catch {
      // An unparsable start URL is shown as written.
      host = s.startUrl;
    }
    if (hosts.size > 1000) hosts.clear();
    hosts.set(s.startUrl, host);
  }
  return host;
}

/** A session's state and time left in words ("expires in 2h 5m, renews automatically"): the tooltip's and the status menu's. */
export function describeSessionState(s: SessionState, now: number, warnMinutes: number, t: Translate): string {
  const warnMs = Math.max(0, warnMinutes) * 60_000;
  switch (phase(s, now)) {
    case 'signedOut':
      return t('signed out');
    case 'expired':
      return stillRenewable(s.refreshableUntil, now) ? t('expired, renews on next use') : t('expired, sign in again');
    case 'signedIn': {
      const left = describeRemaining(s.expiresAt!, now);
      if (stillRenewable(s.refreshableUntil, now)) return t('expires in {0}, renews automatically', left);
      return needsWarning(s, now, warnMs) ? t('expires in {0}, sign in again soon', left) : t('expires in {0}', left);
    }
  }
}

function tooltipLine(s: SessionState, now: number, warnMs: number, t: Translate): string {
  const head = t('{0} ({1}, {2})', s.name, where(s), s.region);
  return t('{0}: {1}', head, describeSessionState(s, now, warnMs / 60_000, t));
}

/** The session the text describes. */
function pick(states: SessionState[], now: number, warnMs: number, active?: string): SessionState | undefined {
  if (active !== undefined) {
    const a = states.find((s) => s.name === active);
    if (a) return a;
  }
  const valid = states.filter((s) => phase(s, now) === 'signedIn');
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
  if (expired.length > 0) return expired.find((s) => !stillRenewable(s.refreshableUntil, now)) ?? expired[0];
  return states.length === 1 ? states[0] : undefined;
}

/** The view at `now`; without `withTooltip` its tooltip is left empty (for probing when the bar changes). */
function render(states: SessionState[], now: number, opts: StatusOptions, t: Translate, withTooltip = true): Shown {
  const warnMs = Math.max(0, opts.warnMinutes) * 60_000;
  const profile = opts.activeProfile;
  const withProfile = (text: string) => (profile ? t('{0} · {1}', text, profile) : text);
  const labelWithProfile = (label: string) => (profile ? t('{0}, profile {1} active', label, profile) : label);
  const tooltip = !withTooltip ? [] : states.length > 0 ? states.map((s) => tooltipLine(s, now, warnMs, t)) : [t('No AWS SSO session is configured.')];
  if (profile && withTooltip) tooltip.push(t('Active profile: {0}', profile));

  const s = pick(states, now, warnMs, opts.activeSession);
  const p = s ? phase(s, now) : 'signedOut';
  if (!s || p === 'signedOut') {
    return {
      text: withProfile(t('AWS SSO: signed out')),
      severity: 'none',
      tooltip,
      accessibilityLabel: labelWithProfile(s ? t('AWS SSO session {0} is signed out', s.name) : t('AWS SSO signed out')),
      session: s?.name,
    };
  }
  const renews = stillRenewable(s.refreshableUntil, now);
  if (p === 'expired') {
    return {
      text: withProfile(t('AWS SSO: expired')),
      severity: renews ? 'warning' : 'error',
      tooltip,
      accessibilityLabel: labelWithProfile(
        renews ? t('AWS SSO session {0} has expired and renews on next use', s.name) : t('AWS SSO session {0} has expired, sign in again', s.name),
      ),
      session: s.name,
    };
  }
  const spelled = spellRemaining(s.expiresAt!, now, t);
  return {
    text: withProfile(t('AWS SSO: {0}', describeRemaining(s.expiresAt!, now))),
    severity: needsWarning(s, now, warnMs) ? 'warning' : 'ok',
    tooltip,
    accessibilityLabel: labelWithProfile(
      renews ? t('AWS SSO session {0} expires in {1} and renews automatically', s.name, spelled) : t('AWS SSO session {0} expires in {1}', s.name, spelled),
    ),
    session: s.name,
  };
}

type Shown = Omit<StatusView, 'nextChangeAt' | 'nextBarChangeAt'>;

function sameBar(a: Shown, b: Shown): boolean {
  return a.text === b.text && a.severity === b.severity && a.accessibilityLabel === b.accessibilityLabel && a.session === b.session;
}

function same(a: Shown, b: Shown): boolean {
  return sameBar(a, b) && a.tooltip.length === b.tooltip.length && a.tooltip.every((l, i) => l === b.tooltip[i]);
}

export function describeStatus(states: SessionState[], now: number, opts: StatusOptions, t: Translate): StatusView {
  const view = render(states, now, opts, t);
  const warnMs = Math.max(0, opts.warnMinutes) * 60_000;
  // Every instant at which some input to `render` flips; the first one that really changes the
  // output is the answer (a flip can be invisible, e.g. the warning line of a renewing session).
  const candidates = new Set<number>();
  for (const s of states) {
    if (phase(s, now) === 'signedIn') {
      candidates.add(nextTimeLeftChange(s.expiresAt!, now));
      const warnAt = s.expiresAt! - warnMs + 1;
      if (warnAt > now) candidates.add(warnAt);
    }
    if (stillRenewable(s.refreshableUntil, now)) candidates.add(s.refreshableUntil!);
  }
  let nextChangeAt: number | undefined;
  for (const at of [...candidates].sort((a, b) => a - b)) {
    // Once the tooltip's next change is known, only the bar is worked out (a tooltip of many sessions costs).
    const then = render(states, at, opts, t, nextChangeAt === undefined);
    if (!sameBar(view, then)) return { ...view, nextChangeAt: nextChangeAt ?? at, nextBarChangeAt: at };
    if (nextChangeAt === undefined && !same(view, then)) nextChangeAt = at;
  }
  return nextChangeAt === undefined ? view : { ...view, nextChangeAt };
}
