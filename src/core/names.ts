// What a profile or sso-session name, an account ID and a role name may be: each rule once, for the
// config file, the credentials file, the settings, the wizards and the service's answers alike.

/**
 * The characters every AWS SDK accepts in a profile or sso-session name, as a character-class
 * body (smithy's parseIni reads `[profile NAME]` only with these; botocore takes more). Anything
 * else could also break the `[header]` line itself.
 */
export const NAME_CHARS = 'A-Za-z0-9_\\-@+.%:/';
export const NAME_CHARS_TEXT = 'letters, digits and _ - @ + . % : /';
export const MAX_NAME_LENGTH = 128;

const NAME_RE = new RegExp(`^[${NAME_CHARS}]+$`);

export type NameProblem = 'empty' | 'too-long' | 'characters' | 'reserved';

/**
 * Why `name` cannot be a profile or sso-session name in the config file, or undefined when it
 * can. `__proto__` is reserved: the JavaScript SDK reads the file into a plain object.
 */
export function profileNameProblem(name: unknown): NameProblem | undefined {
  if (typeof name !== 'string' || name === '') return 'empty';
  if (name.length > MAX_NAME_LENGTH) return 'too-long';
  if (!NAME_RE.test(name)) return 'characters';
  if (name === '__proto__') return 'reserved';
  return undefined;
}

export function isProfileName(name: unknown): name is string {
  return profileNameProblem(name) === undefined;
}

/**
 * The credentials file's rule: the config file's, and not `DEFAULT`, which configparser takes as
 * its defaults section (inherited by every profile) rather than a profile.
 */
export function credentialsProfileNameProblem(name: unknown): NameProblem | undefined {
  return profileNameProblem(name) ?? (name === 'DEFAULT' ? 'reserved' : undefined);
}

/** An AWS account ID: exactly twelve ASCII digits. */
export function isAccountId(id: unknown): id is string {
  return typeof id === 'string' && /^[0-9]{12}$/.test(id);
}

/** What IAM allows in a role name; anything else came from a broken or hostile service. */
export function isRoleName(name: unknown): name is string {
  return typeof name === 'string' && /^[\w+=,.@-]{1,64}$/.test(name);
}
