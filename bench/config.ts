// 4. Config scale: populate N SSO profiles into a config file that already holds 1 MB of hand-written
// content (comments, nested s3 blocks, services, plugins, role chains, other sso-sessions).
// Timed: planPopulate + applyProfiles, the pure text-to-text work the extension and CLI do per populate.
import { applyProfiles } from '../src/core/config/edit';
import { listProfiles } from '../src/core/config/read';
import { planPopulate } from '../src/core/profiles';
import type { Account, Role } from '../src/core/types';
import { median } from './lib';

/** About `bytes` of varied hand-written config, deterministic. */
export function handWrittenConfig(bytes: number): string {
  const parts: string[] = [
    '# ~/.aws/config — maintained by hand, do not reorder\n',
    '[default]\nregion = us-east-1\noutput = json\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\n\n',
    '[plugins]\ncli_legacy_plugin_path = /opt/aws-plugins/site-packages\nendpoint = awscli_plugin_endpoint\n\n',
    '[cli]\ncli_binary_format = raw-in-base64-out\n\n',
  ];
  let size = parts.reduce((n, p) => n + p.length, 0);
  const regions = ['us-east-1', 'eu-west-1', 'eu-central-1', 'ap-southeast-2', 'us-west-2'];
  for (let i = 0; size < bytes; i++) {
    const r = regions[i % regions.length];
    const acct = String(100000000000 + i * 7919).slice(0, 12);
    let s: string;
    switch (i % 6) {
      case 0:
        s = `# team ${i}: owner team-${i}@example.com, ticket OPS-${1000 + i}\n[profile team-${i}-admin]\nrole_arn = arn:aws:iam::${acct}:role/Admin\nsource_profile = base-${i % 50}\nregion = ${r}\nmfa_serial = arn:aws:iam::${acct}:mfa/user-${i}\nduration_seconds = 3600\n\n`;
        break;
      case 1:
        s = `[profile data-${i}]\nsso_session = legacy-${i % 20}\nsso_account_id = ${acct}\nsso_role_name = DataEngineer\nregion = ${r}\ns3 =\n    use_accelerate_endpoint = true\n\n    payload_signing_enabled = false\ns3api =\n    endpoint_url = https://s3.example.internal\nretry_mode = adaptive\nmax_attempts = 5\n\n`;
        break;
      case 2:
        s = `[services svc-${i}]\ns3 =\n  endpoint_url = http://localhost:${4000 + (i % 1000)}\ndynamodb =\n  endpoint_url = http://localhost:8000\n\n[profile local-${i}]\nservices = svc-${i}\nregion = ${r}\n\n`;
        break;
      case 3:
        s = `; legacy comment style ${i}\n[profile ci-${i}]\ncredential_process = /usr/local/bin/creds --account ${acct} --role deploy-${i}\nregion = ${r}\noutput = text\ncli_pager =\n\n`;
        break;
      case 4:
        s = i % 120 === 4 && i / 120 < 20
          ? `[sso-session legacy-${Math.floor(i / 120)}]\nsso_start_url = https://legacy-${Math.floor(i / 120)}.awsapps.com/start\nsso_region = ${r}\nsso_registration_scopes = sso:account:access\n\n`
          : `[profile "quoted ${i}"]\nregion = ${r}\nsts_regional_endpoints = regional\n\n`;
        break;
      default:
        s = `[profile base-${i}]\nregion = ${r}\naws_access_key_id_file_note = keys live in ~/.aws/credentials\nca_bundle = /etc/ssl/certs/corp-${i % 7}.pem\n\n\n`;
    }
    parts.push(s);
    size += s.length;
  }
  return parts.join('');
}

/** Accounts with 1–5 roles each, `profiles` roles in total. */
export function orgWithRoles(profiles: number): { accounts: Account[]; roles: Map<string, Role[]> } {
  const roleNames = ['AdministratorAccess', 'ReadOnlyAccess', 'PowerUserAccess', 'Billing', 'DataScientist'];
  const accounts: Account[] = [];
  const roles = new Map<string, Role[]>();
  let left = profiles;
  for (let i = 0; left > 0; i++) {
    const accountId = String(500000000000 + i * 104729).slice(0, 12);
    const k = Math.min(left, 1 + ((i * 7) % 5));
    accounts.push({ accountId, accountName: `acct-${i}`, emailAddress: `acct-${i}@example.com` });
    roles.set(accountId, roleNames.slice(0, k).map((roleName) => ({ accountId, roleName })));
    left -= k;
  }
  return { accounts, roles };
}

export interface ConfigSizeFigures {
  profiles: number;
  /** Median CPU time (user + system) of this process per run: what a run costs without other load. */
  medianMs: number;
  runsMs: number[];
  /** Median wall time, inflated by whatever else the machine runs. */
  medianWallMs: number;
  runsWallMs: number[];
  /** Retained heap of the result text and plan after GC, and the peak heap seen during one run. */
  heapDeltaMB: number;
  rssMB: number;
  outputMB: number;
}

export interface ConfigFigures {
  baseBytes: number;
  /** CPU ms to list the profiles of the hand-written file alone (the part of every populate that does not depend on N). */
  baseListMs: number;
  sizes: ConfigSizeFigures[];
  /** log(t2/t1)/log(n2/n1) between consecutive sizes. */
  exponents: { from: number; to: number; exponent: number }[];
}

const gc = (globalThis as { gc?: () => void }).gc;

export function benchConfig(sizes: number[], repeats: number, baseBytes = 1024 * 1024, log: (s: string) => void = () => {}): ConfigFigures {
  const base = handWrittenConfig(baseBytes);
  const session = { name: 'bench', startUrl: 'https://d-9067000000.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
  const out: ConfigFigures = { baseBytes: base.length, baseListMs: NaN, sizes: [], exponents: [] };
  // Warm up the JIT on a small case, so the first timed size is not also the compile.
  {
    const o = orgWithRoles(200);
    const plan = planPopulate(base, { session, accounts: o.accounts, roles: o.roles, template: 'default', prune: true });
    applyProfiles(base, plan.changes);
  }
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const baseRuns: number[] = [];
  const orgs = sizes.map((n) => orgWithRoles(n));
  const acc = sizes.map((n) => ({ n, cpu: [] as number[], wall: [] as number[], heap: 0, rss: 0, outBytes: 0 }));
  // Rounds over all sizes (not all repeats of one size, then the next), so that a burst of load from
  // other processes hits every size alike instead of skewing the growth exponent.
  for (let round = 0; round < repeats; round++) {
    {
      const c0 = cpuMs();
      listProfiles(base);
      baseRuns.push(cpuMs() - c0);
    }
    sizes.forEach((n, k) => {
      const org = orgs[k];
      const a = acc[k];
      gc?.();
      const before = process.memoryUsage().heapUsed;
      const c0 = cpuMs();
      const t0 = performance.now();
      const plan = planPopulate(base, { session, accounts: org.accounts, roles: org.roles, template: 'default', prune: true });
      const text = applyProfiles(base, plan.changes);
      a.wall.push(performance.now() - t0);
      a.cpu.push(cpuMs() - c0);
      if (plan.added.length !== n) throw new Error(`populate planned ${plan.added.length} profiles, wanted ${n}`);
      a.rss = Math.max(a.rss, process.memoryUsage().rss);
      gc?.();
      a.heap = Math.max(a.heap, process.memoryUsage().heapUsed - before);
      a.outBytes = text.length;
      if (round === 0 && listProfiles(text).filter((p) => p.managed).length !== n) throw new Error('the populated config does not list every profile');
    });
  }
  out.baseListMs = median(baseRuns);
  for (const a of acc) {
    const f: ConfigSizeFigures = {
      profiles: a.n,
      medianMs: median(a.cpu),
      runsMs: a.cpu,
      medianWallMs: median(a.wall),
      runsWallMs: a.wall,
      heapDeltaMB: a.heap / 1024 / 1024,
      rssMB: a.rss / 1024 / 1024,
      outputMB: a.outBytes / 1024 / 1024,
    };
    log(`  config: ${a.n} profiles into ${(base.length / 1024).toFixed(0)} KB: CPU median ${f.medianMs.toFixed(1)} ms of [${a.cpu.map((r) => r.toFixed(0)).join(', ')}], wall median ${f.medianWallMs.toFixed(1)} ms`);
    out.sizes.push(f);
  }
  log(`  config: listing the profiles of the hand-written file alone: CPU median ${out.baseListMs.toFixed(1)} ms`);
  for (let i = 1; i < out.sizes.length; i++) {
    const a = out.sizes[i - 1];
    const b = out.sizes[i];
    out.exponents.push({ from: a.profiles, to: b.profiles, exponent: Math.log(b.medianMs / a.medianMs) / Math.log(b.profiles / a.profiles) });
  }
  return out;
}
