// What the device-code dialog says and where its button sends the browser (no vscode import: unit-tested).
import type { Translate } from './errorAdvice';

export interface DeviceCodeFacts {
  sessionName: string;
  startUrl: string;
  userCode: string;
  /** The page to type the code on, from any device. */
  verificationUri: string;
  /** When the code stops working, as the user reads a time. */
  until: string;
}

export function deviceCodeText(t: Translate, f: DeviceCodeFacts): { message: string; detail: string } {
  return {
    message: t('Sign in to "{0}" with code {1}', f.sessionName, f.userCode),
    detail: t(
      'Your browser opens the AWS access portal ({0}). Sign in there, check that the page shows the code {1}, and allow access. Or open {2} on any device and enter the code. The code works until {3}.',
      hostOf(f.startUrl),
      f.userCode,
      f.verificationUri,
      f.until,
    ),
  };
}

/** Said when "Copy & Open Browser" is pressed after the code was approved while the dialog was open. */
export function alreadyApprovedText(t: Translate, sessionName: string): string {
  return t('The code for "{0}" was already approved while the dialog was open: there is nothing to copy or open.', sessionName);
}

/**
 * The URL to open, given the page the service named and what the editor mapped it to for a remote
 * window (asExternalUri). code-server maps a local endpoint to its `/proxy/PORT/` page and drops
 * the path and query (`/device?user_code=…`), which the page needs; a mapping that kept them (a
 * forwarded port) or left the URL alone is used as it is.
 */
export function keepPathAndQuery(original: string, mapped: string): string {
  let o: URL;
  let m: URL;
  try {
    o = new URL(original);
    m = new URL(mapped);
  } catch {
    return mapped;
  }
  // The query is always the service's own text: a mapped Uri may come back decoded (`%2B` as `+`).
  if (m.origin === o.origin) return original;
  if (m.pathname.endsWith(o.pathname)) return `${m.origin}${m.pathname}${o.search}${o.hash}`;
  const base = m.pathname.endsWith('/') ? m.pathname.slice(0, -1) : m.pathname;
  return `${m.origin}${base}${o.pathname}${o.search}${o.hash}`;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}
