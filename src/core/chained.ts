// Credentials of a chained profile (`role_arn` + `source_profile`): STS AssumeRole signed with the
// SSO role's short-term keys. One function for the editor and the command line; the SDK's STS
// client is loaded on the first call only.
import type { ProfileInfo } from './config/read';
import { createStsClient, partitionOf } from './endpoints';
import { failureError, SsoError } from './errors';
import { CHAINED_MAX_SECONDS, isChainedDuration, isExternalId, isRoleSessionName, parseRoleArn } from './names';
import type { SdkClientLike } from './sdk';
import { stsSdk } from './sdk';
import type { RoleCredentials } from './types';

/** What a chained profile asks STS for. */
export interface ChainedSpec {
  roleArn: string;
  roleSessionName?: string;
  externalId?: string;
  durationSeconds?: number;
}

export interface AssumeOptions {
  /** The region whose STS endpoint is called (the profile's region, else the session's). */
  region: string;
  /** Where AWS_ENDPOINT_URL_STS is read. Default process.env. */
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** The source role, for the words of an error. */
  source?: { accountId: string; roleName: string };
  /** A client double for tests; default an STS client signing with `source`'s keys. */
  client?: SdkClientLike;
  /** The session name when the spec has none. Default `aws-sso-profiles-<epoch seconds>`. */
  now?: () => number;
}

/**
 * The spec a chained profile's keys hold (as the CLI reads them), or an SsoError('ConfigFile')
 * that says which key is wrong. `duration_seconds` above an hour is refused: AWS would.
 */
export function chainedSpecOf(p: Pick<ProfileInfo, 'name' | 'keys'>): ChainedSpec {
  const k = p.keys;
  const bad = (what: string) => new SsoError('ConfigFile', `The profile "${p.name}" in the AWS config file has ${what}. Fix it, or create the chained profile again.`);
  if (typeof parseRoleArn(k.role_arn) === 'string') throw bad('no valid role_arn');
  const spec: ChainedSpec = { roleArn: k.role_arn };
  if (k.role_session_name !== undefined) {
    if (!isRoleSessionName(k.role_session_name)) throw bad('a role_session_name STS does not accept');
    spec.roleSessionName = k.role_session_name;
  }
  if (k.external_id !== undefined) {
    if (!isExternalId(k.external_id)) throw bad('an external_id STS does not accept');
    spec.externalId = k.external_id;
  }
  if (k.duration_seconds !== undefined) {
    const n = Number(k.duration_seconds);
    if (!isChainedDuration(n)) throw bad(`a duration_seconds outside 900 to ${CHAINED_MAX_SECONDS} (a chained session lasts an hour at most)`);
    spec.durationSeconds = n;
  }
  return spec;
}

/**
 * AssumeRole of `spec.roleArn` with the SSO role's credentials `source`: the chained role's
 * short-term credentials. The STS endpoint is the region's or AWS_ENDPOINT_URL_STS (https only),
 * never the config file's. Throws SsoError with what to do (trust policy, external ID, duration).
 */
export async function assumeChained(source: RoleCredentials, spec: ChainedSpec, opts: AssumeOptions): Promise<RoleCredentials> {
  const arn = parseRoleArn(spec.roleArn, partitionOf(opts.region).id);
  if (arn === 'format') throw new SsoError('InvalidInput', `${JSON.stringify(spec.roleArn)} is not an IAM role ARN (arn:aws:iam::123456789012:role/NAME).`);
  if (arn === 'partition') {
    throw new SsoError('InvalidInput', `The role ${spec.roleArn} is in another AWS partition than the region ${opts.region}: credentials never cross partitions.`);
  }
  const ctx = {
    service: 'sts' as const,
    what: `assuming ${spec.roleArn}`,
    region: opts.region,
    roleArn: spec.roleArn,
    externalId: spec.externalId !== undefined,
    accountId: opts.source?.accountId,
    roleName: opts.source?.roleName,
  };
  const client = opts.client ?? createStsClient(opts.region, source, { env: opts.env });
  try {
    const { AssumeRoleCommand } = stsSdk();
    const input = {
      RoleArn: spec.roleArn,
      RoleSessionName: spec.roleSessionName ?? `aws-sso-profiles-${Math.floor((opts.now ?? Date.now)() / 1000)}`,
      ...(spec.externalId !== undefined ? { ExternalId: spec.externalId } : {}),
      ...(spec.durationSeconds !== undefined ? { DurationSeconds: spec.durationSeconds } : {}),
    };
    let out: unknown;
    try {
      out = await client.send(new AssumeRoleCommand(input), opts.signal ? { abortSignal: opts.signal } : undefined);
    } catch (e) {
      throw failureError(e, ctx);
    }
    const c = (out as { Credentials?: { AccessKeyId?: unknown; SecretAccessKey?: unknown; SessionToken?: unknown; Expiration?: unknown } }).Credentials;
    const expiration = c?.Expiration instanceof Date ? c.Expiration.getTime() : NaN;
    if (!c || typeof c.AccessKeyId !== 'string' || typeof c.SecretAccessKey !== 'string' || typeof c.SessionToken !== 'string' || !Number.isFinite(expiration)) {
      throw new SsoError('BadResponse', `AWS STS answered without usable credentials while ${ctx.what}.`);
    }
    return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration };
  } finally {
    if (!opts.client) client.destroy?.();
  }
}

/**
 * A role session name from the user's login name (what CloudTrail shows for the chained role):
 * STS's characters only, 2 to 64 of them; `aws-sso-profiles` when nothing is left.
 */
export function sessionNameFrom(user: string | undefined): string {
  const cleaned = (user ?? '').replace(/[^\w+=,.@-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  return isRoleSessionName(cleaned) ? cleaned : 'aws-sso-profiles';
}
