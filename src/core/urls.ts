// Which URLs may carry a credential or be opened for the user: https, or plain http to this machine.
import { SsoError } from './errors';

/** 127.0.0.1, localhost or [::1]: plain http to these never leaves the machine. */
function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
}

/**
 * Parses `url` and throws SsoError('InvalidInput') unless it is https, or http to a loopback
 * host (tests, a local proxy). Everything that sends a token or credentials, or opens a page the
 * user signs in on, goes through here. `what` names the URL in the message ("The federation
 * endpoint"); the URL itself is quoted only when it does not parse, and then without its query.
 */
export function checkSecureUrl(url: string, what: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new SsoError('InvalidInput', `${what} "${url.split(/[?#]/)[0]}" is not a URL.`);
  }
  if (u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname))) return u;
  throw new SsoError('InvalidInput', `${what} must use https (plain http only to 127.0.0.1, localhost or [::1]), not ${u.protocol}//${u.host}.`);
}
