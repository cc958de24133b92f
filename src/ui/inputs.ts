// Checks and suggestions for what the user types in the wizards, as pure functions returning
// the message to show (undefined when fine). No `vscode` import: unit-tested.
import { assertRegion } from '../core/endpoints';
import { isSsoError } from '../core/errors';
import { credentialsProfileNameProblem, isExternalId, isRoleSessionName, MAX_NAME_LENGTH, parseRoleArn, profileNameProblem } from '../core/names';
import { isScope, parseScopes } from '../core/scopes';
import { normalizeStartUrl } from '../core/sessions';
import type { Translate } from './errorAdvice';
import type { Shell } from '../core/credentials';

// The regions' one list lives with the start URL's reading, which picks from it.
export { DEFAULT_SSO_REGION, SSO_REGIONS } from '../core/sessions';

export { MAX_NAME_LENGTH };

export function startUrlProblem(input: string, t: Translate): string | undefined {
  try {
    normalizeStartUrl(input);
    return undefined;
  } catch (e) {
    return isSsoError(e) ? e.message : t('This is not a start URL.');
  }
}

export function regionProblem(input: string, t: Translate): string | undefined {
  try {
    assertRegion(input.trim());
    return undefined;
  } catch {
    return t('"{0}" is not an AWS region name (for example us-east-1).', input.trim());
  }
}

/**
 * A name for `[sso-session NAME]` or `[profile NAME]` in the config file, or for `[NAME]` in the
 * credentials file (the rules are the core's, names.ts).
 */
export function nameProblem(kind: 'session' | 'profile' | 'credentials', input: string, t: Translate): string | undefined {
  const name = input.trim();
  switch (kind === 'credentials' ? credentialsProfileNameProblem(name) : profileNameProblem(name)) {
    case undefined:
      return undefined;
    case 'empty':
      return kind === 'session' ? t('Give the session a name.') : t('Give the profile a name.');
    case 'too-long':
      return t('Use at most {0} characters.', MAX_NAME_LENGTH);
    case 'reserved':
      return t('"{0}" is reserved; choose another name.', name);
    case 'characters':
      return t('Use letters, digits and _ - @ + . % : / only: other characters break the config file or cannot be read by the AWS SDKs.');
  }
}

/** Scopes as typed in the wizard (commas or spaces; see the core's parseScopes). */
export function scopesProblem(input: string, t: Translate): string | undefined {
  for (const s of parseScopes(input, 'typed')) {
    if (!isScope(s)) return t('"{0}" is not a scope such as sso:account:access.', s);
  }
  return undefined;
}

/** The shell whose syntax the clipboard gets by default on this platform. */
export function defaultShell(platform: NodeJS.Platform): Shell {
  return platform === 'win32' ? 'powershell' : 'bash';
}

/** The role a chained profile assumes: an IAM role ARN of the session's partition (names.ts's rule). */
export function roleArnProblem(input: string, partition: string, t: Translate): string | undefined {
  switch (parseRoleArn(input.trim(), partition)) {
    case 'format':
      return t('Enter an IAM role ARN: arn:{0}:iam::ACCOUNT:role/NAME (or role/PATH/NAME).', partition);
    case 'partition':
      return t('This role is in another AWS partition than the session ({0}): credentials never cross partitions.', partition);
    default:
      return undefined;
  }
}

/** An optional external ID: empty, or what STS accepts. */
export function externalIdProblem(input: string, t: Translate): string | undefined {
  const v = input.trim();
  return v === '' || isExternalId(v) ? undefined : t('Use 2 to 1224 letters, digits or _ + = , . @ : / - (or leave it empty).');
}

/** A role session name: what STS accepts. */
export function roleSessionNameProblem(input: string, t: Translate): string | undefined {
  return isRoleSessionName(input.trim()) ? undefined : t('Use 2 to 64 letters, digits or _ + = , . @ -.');
}
