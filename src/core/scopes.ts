// Registration scopes (`sso_registration_scopes`): how a list is read, what one scope may be, and
// the default, in one place.
import { pyStrip } from './config/model';
import { DEFAULT_SCOPES } from './types';

/**
 * The scopes in `text`.
 *
 * - `'file'`: the config file's value, read exactly as the AWS CLI reads it
 *   (awscli/customizations/sso/utils.py parse_sso_registration_scopes): split at commas, each
 *   part stripped, empty parts dropped. White space inside a part stays part of the scope.
 * - `'typed'`: what a user types (the Add SSO Session wizard, `--scopes`): commas or white space
 *   between scopes, since no scope contains either, and a scope typed twice counts once.
 *
 * Never defaults: an empty list means none were given (see scopesOrDefault).
 */
export function parseScopes(text: string, from: 'file' | 'typed'): string[] {
  if (from === 'file') return text.split(',').map(pyStrip).filter((s) => s !== '');
  return [...new Set(text.split(/[\s,]+/).filter((s) => s !== ''))];
}

/**
 * What we register with when a session names no scopes: `sso:account:access`, so the token can be
 * refreshed. (The AWS CLI registers without scopes then; a deliberate difference.)
 */
export function scopesOrDefault(scopes: readonly string[]): string[] {
  return scopes.length > 0 ? [...scopes] : [...DEFAULT_SCOPES];
}

/**
 * A scope we write: printable ASCII without the list separator (`,`), white space or a comment
 * character (`#`, `;`, which the JavaScript SDK may take as the start of a comment).
 */
export function isScope(scope: unknown): scope is string {
  return typeof scope === 'string' && /^[\x21-\x7e]+$/.test(scope) && !/[,#;]/.test(scope);
}
