// Deterministic generator of a realistic AWS organisation (accounts and their assigned roles) for the fake.

export interface FakeAccount {
  /** 12 digits; may start with 0, as real ones can, so callers must treat it as a string. */
  accountId: string;
  accountName: string;
  emailAddress: string;
  /** Permission-set (role) names assigned to the user in this account. */
  roles: string[];
}

export const ROLE_NAMES: readonly string[] = [
  'AdministratorAccess',
  'PowerUserAccess',
  'ReadOnlyAccess',
  'Project-Admin',
  'Project-Power-User',
  'Project-Read-Only',
  'Billing',
  'ViewOnlyAccess',
  'SecurityAudit',
  'DatabaseAdministrator',
];

const TEAMS = [
  'payments', 'identity', 'search', 'data-platform', 'billing', 'ml-training', 'analytics', 'web-frontend',
  'mobile-api', 'shared-services', 'logging', 'security-tooling', 'network-hub', 'checkout', 'catalog',
  'notifications', 'edge', 'ledger', 'reporting', 'customer-portal', 'fraud-detection', 'streaming',
  'inventory', 'recommendations', 'auth-gateway',
];
const ENVS = ['prod', 'staging', 'dev', 'test', 'qa', 'sandbox'];

/** mulberry32: tiny, fast and good enough for reproducible fixtures. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` accounts with unique ids and names, each with 1–5 distinct roles; same seed → same org. */
export function generateOrg(count: number, seed = 1): FakeAccount[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`account count must be a non-negative integer, got ${count}`);
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const ids = new Set<string>();
  const names = new Set<string>();
  const out: FakeAccount[] = [];
  for (let i = 0; i < count; i++) {
    let id: string;
    do {
      // About one id in ten starts with 0, so a consumer that parses ids as numbers breaks visibly.
      const first = rnd() < 0.1 ? '0' : String(1 + Math.floor(rnd() * 9));
      id = first + Array.from({ length: 11 }, () => Math.floor(rnd() * 10)).join('');
    } while (ids.has(id));
    ids.add(id);

    const base = i === 0 ? 'management' : `${pick(TEAMS)}-${pick(ENVS)}`;
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
    names.add(name);

    const k = 1 + Math.floor(rnd() * 5);
    const pool = [...ROLE_NAMES];
    const roles: string[] = [];
    while (roles.length < k) roles.push(pool.splice(Math.floor(rnd() * pool.length), 1)[0]);

    out.push({ accountId: id, accountName: name, emailAddress: `aws+${name}@example.com`, roles });
  }
  return out;
}
