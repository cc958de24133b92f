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

/** An IAM role ARN, split: `arn:PARTITION:iam::ACCOUNT:role/PATH/NAME` (PATH `/` when none). */
export interface RoleArn {
  partition: string;
  accountId: string;
  /** `/` or `/a/b/`, as IAM stores it. */
  path: string;
  roleName: string;
}

export type RoleArnProblem = 'format' | 'partition';

// IAM's own rules: a path is `/` or `/…/` of printable ASCII (at most 512), a name [\w+=,.@-]{1,64}.
const ROLE_ARN_RE = /^arn:(aws|aws-cn|aws-us-gov):iam::([0-9]{12}):role(\/(?:[\x21-\x7e]*\/)?)([\w+=,.@-]{1,64})$/;

/**
 * The role ARN, or why it cannot be the role a chained profile assumes: not of IAM's form
 * ('format'), or of another partition than `partition` (credentials never cross partitions).
 */
export function parseRoleArn(arn: unknown, partition?: string): RoleArn | RoleArnProblem {
  if (typeof arn !== 'string') return 'format';
  const m = ROLE_ARN_RE.exec(arn);
  if (!m || m[3].length > 512) return 'format';
  if (partition !== undefined && m[1] !== partition) return 'partition';
  return { partition: m[1], accountId: m[2], path: m[3], roleName: m[4] };
}

/** What STS accepts as a RoleSessionName (and so what `role_session_name` may hold). */
export function isRoleSessionName(name: unknown): name is string {
  return typeof name === 'string' && /^[\w+=,.@-]{2,64}$/.test(name);
}

/** What STS accepts as an ExternalId. */
export function isExternalId(id: unknown): id is string {
  return typeof id === 'string' && /^[\w+=,.@:/-]{2,1224}$/.test(id);
}

/** AWS ends a session that one role assumed from another's credentials after an hour at most. */
export const CHAINED_MAX_SECONDS = 3600;
/** STS's shortest session. */
export const CHAINED_MIN_SECONDS = 900;

export function isChainedDuration(seconds: unknown): seconds is number {
  return typeof seconds === 'number' && Number.isInteger(seconds) && seconds >= CHAINED_MIN_SECONDS && seconds <= CHAINED_MAX_SECONDS;
}
