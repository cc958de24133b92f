// Trust §2: generated config files × random sequences of our edits. Every line we did not edit
// stays byte-identical, and the AWS CLI's own botocore reads exactly the profiles and sessions
// we intended. Files the CLI cannot read are refused untouched. Seed: TRUST_SEED.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigFile } from '../../../src/core/config/configFile';
import { applyProfiles, ConfigChanges, ProfileSpec, SsoSessionSpec } from '../../../src/core/config/edit';
import { parseConfig } from '../../../src/core/config/model';
import { isSsoError } from '../../../src/core/errors';
import { ScratchDir } from '../../helpers/config-fixtures';
import { BotoView, botocoreViewBatched } from '../../helpers/trust-botocore';
import { GeneratedConfig, generateConfig } from '../../helpers/trust-configgen';
import { Rng, rng, trustSeed } from '../../helpers/trust-prng';

const SEED = trustSeed();
const CASES = Number(process.env.TRUST_CASES ?? 400);
const LONG_CASES = 4;
const ON_DISK_CASES = 40;
const NAME_RE = /^[A-Za-z0-9_\-@+.%:/]+$/;
const REGIONS = ['us-east-1', 'eu-central-1', 'ap-northeast-1'];

type View = Required<Pick<BotoView, 'profiles' | 'ssoSessions'>>;
type Values = Record<string, unknown>;

interface Step {
  changes: ConfigChanges;
  /** Expected outcome: the error code, or undefined for success. */
  fails?: 'InvalidInput';
  /** Refused because of the file (set while replaying): nothing may be written. */
  refused?: boolean;
}

interface Case {
  index: number;
  gen: GeneratedConfig;
  before: string;
  after: string;
  steps: Step[];
  touchedProfiles: Set<string>;
  touchedSessions: Set<string>;
  expected?: View;
  refusedWith?: string;
}

const scopesOf = (v: unknown) =>
  String(v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(',') || 'sso:account:access';

function isManaged(p: Values | undefined): boolean {
  return typeof p?.aws_sso_profiles_managed === 'string' && p.aws_sso_profiles_managed.toLowerCase() === 'true';
}

/** Plans one batch of our edits from what botocore sees now, and applies its intent to `exp`. */
function planStep(r: Rng, exp: View, defaults: Record<string, string>, k: { n: number }, c: Case): Step {
  const sessions: SsoSessionSpec[] = [];
  const upserts: ProfileSpec[] = [];
  const removals: string[] = [];
  const overwriteUnmanaged = r.chance(0.25);
  const removeUnmanaged = r.chance(0.25);
  const used = new Set<string>();
  const editableSessions = () => [...Object.keys(exp.ssoSessions).filter((n) => NAME_RE.test(n)), ...sessions.map((s) => s.name)];
  const editableProfiles = Object.keys(exp.profiles).filter((n) => NAME_RE.test(n));
  const ops = r.int(1, 4);
  for (let i = 0; i < ops; i++) {
    const kind = r.pick(['session-new', 'session-update', 'profile-new', 'profile-new', 'profile-existing', 'remove', 'remove-missing'] as const);
    if (kind === 'session-new' || (kind === 'session-update' && editableSessions().length === 0)) {
      const name = `s${k.n++}.${r.pick(['corp', 'org'])}`;
      sessions.push({ name, startUrl: `https://d-${r.int(1e9, 9e9)}.awsapps.com/start`, region: r.pick(REGIONS), scopes: r.chance(0.5) ? ['sso:account:access'] : ['sso:account:access', 'codewhisperer:completions'] });
    } else if (kind === 'session-update') {
      const name = r.pick(editableSessions());
      if (used.has(`s:${name}`) || sessions.some((s) => s.name === name)) continue;
      used.add(`s:${name}`);
      const cur = exp.ssoSessions[name] as Values | undefined;
      sessions.push({
        name,
        startUrl: r.chance(0.5) && typeof cur?.sso_start_url === 'string' && /^https:\/\/\S+$/.test(cur.sso_start_url) ? cur.sso_start_url : `https://moved-${k.n++}.awsapps.com/start`,
        region: r.pick(REGIONS),
        scopes: r.chance(0.5) ? ['sso:account:access', 'codewhisperer:completions'] : ['sso:account:access'],
      });
    } else if (kind === 'profile-new' || kind === 'profile-existing') {
      let name: string;
      if (kind === 'profile-new' || editableProfiles.length === 0) name = r.pick(['p', 'team/p', 'ops@p', 'x.p+1']) + `-${k.n++}`;
      else name = r.pick(editableProfiles);
      if (used.has(`p:${name}`)) continue;
      let avail = editableSessions();
      if (avail.length === 0) {
        const s = `s${k.n++}`;
        sessions.push({ name: s, startUrl: 'https://fresh.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] });
        avail = [s];
      }
      used.add(`p:${name}`);
      const spec: ProfileSpec = { name, ssoSession: r.pick(avail), accountId: String(r.int(1e11, 1e12 - 1)), roleName: r.pick(['Admin', 'ReadOnly', 'Dev-Ops', 'a.b@c']) };
      if (r.chance(0.5)) spec.region = r.pick(REGIONS);
      if (r.chance(0.3)) spec.output = r.pick(['json', 'text', 'yaml']);
      upserts.push(spec);
    } else {
      const name = kind === 'remove-missing' || editableProfiles.length === 0 ? `gone-${k.n++}` : r.pick(editableProfiles);
      if (used.has(`p:${name}`)) continue;
      used.add(`p:${name}`);
      removals.push(name);
    }
  }
  for (const s of sessions) c.touchedSessions.add(s.name);
  for (const p of upserts) c.touchedProfiles.add(p.name);
  for (const n of removals) c.touchedProfiles.add(n);

  const changes: ConfigChanges = { setSessions: sessions, upserts, removals, overwriteUnmanaged, removeUnmanaged };
  if (upserts.some((p) => exp.profiles[p.name] && !isManaged(exp.profiles[p.name] as Values) && !overwriteUnmanaged)) {
    return { changes, fails: 'InvalidInput' };
  }
  // The intent, as botocore must see it afterwards.
  for (const s of sessions) {
    const cur = (exp.ssoSessions[s.name] ??= { ...defaults }) as Values;
    cur.sso_start_url = s.startUrl;
    cur.sso_region = s.region;
    const want = s.scopes!.join(',');
    if (cur.sso_registration_scopes === undefined || scopesOf(cur.sso_registration_scopes) !== want) cur.sso_registration_scopes = want;
  }
  for (const p of upserts) {
    const fresh = !exp.profiles[p.name];
    const cur = (exp.profiles[p.name] ??= { ...defaults }) as Values;
    cur.sso_session = p.ssoSession;
    cur.sso_account_id = p.accountId;
    cur.sso_role_name = p.roleName;
    if (p.region !== undefined) cur.region = p.region;
    if (p.output !== undefined) cur.output = p.output;
    if (fresh) cur.aws_sso_profiles_managed = 'true';
  }
  for (const n of removals) {
    if (exp.profiles[n] && (removeUnmanaged || isManaged(exp.profiles[n] as Values))) delete exp.profiles[n];
  }
  return { changes };
}

/** Index of the section each line belongs to (-1 before the first header). */
function owners(m: ReturnType<typeof parseConfig>): Int32Array {
  const out = new Int32Array(m.lines.length).fill(-1);
  m.sections.forEach((s, k) => out.fill(k, s.line, s.end));
  return out;
}

/**
 * Every line outside the sections we touched is byte-identical and in the same order: a greedy
 * subsequence match of those lines in the result. Lines of the result that match none must be
 * in a section we touched, blank, or a comment that was already in the file (a comment kept
 * from a removed section). Allowed besides: the file's last line gains a line ending, and the
 * blank lines right before a touched section may go (separators of a removed section).
 */
function assertUntouched(c: Case): void {
  const mb = parseConfig(c.before);
  const ma = parseConfig(c.after);
  const touched = (s: { kind: string; name?: string } | undefined) =>
    !!s && ((s.kind === 'profile' && c.touchedProfiles.has(s.name!)) || (s.kind === 'sso-session' && c.touchedSessions.has(s.name!)));
  const ob = owners(mb);
  const oa = owners(ma);
  const raw = (m: typeof mb, i: number) => m.lines[i].text + m.lines[i].eol;
  const headerAt = new Map(mb.sections.map((s) => [s.line, s]));
  let ptr = 0;
  const matched = new Uint8Array(ma.lines.length);
  for (let i = 0; i < mb.lines.length; i++) {
    if (touched(mb.sections[ob[i]])) continue;
    if (mb.lines[i].kind === 'blank') {
      // A run of blank lines right before a section we removed may go with it.
      let j = i + 1;
      while (j < mb.lines.length && mb.lines[j].kind === 'blank') j++;
      if (touched(headerAt.get(j))) continue;
    }
    const want = raw(mb, i);
    const lastNoEol = mb.lines[i].eol === '';
    // A file that ended without a newline still does: its new last line may drop the file's
    // usual terminator (never another one, such as the CR LF of a line in an LF file).
    const mayDropEol = (j: number) =>
      !mb.finalNewline && j === ma.lines.length - 1 && ma.lines[j].eol === '' && mb.lines[i].eol === mb.eol && ma.lines[j].text === mb.lines[i].text;
    while (ptr < ma.lines.length && !(raw(ma, ptr) === want || (lastNoEol && ma.lines[ptr].text === mb.lines[i].text) || mayDropEol(ptr))) ptr++;
    assert.ok(ptr < ma.lines.length, `case ${c.index} (seed ${SEED}): line ${i + 1} ${JSON.stringify(want)} is gone or out of order\nBEFORE ${JSON.stringify(c.before.slice(-700))}\nAFTER ${JSON.stringify(c.after.slice(-700))}`);
    matched[ptr++] = 1;
  }
  const comments = new Set(mb.lines.filter((l) => l.kind === 'comment').map((l) => l.text));
  for (let j = 0; j < ma.lines.length; j++) {
    if (matched[j]) continue;
    const l = ma.lines[j];
    const ok = touched(ma.sections[oa[j]]) || l.kind === 'blank' || (l.kind === 'comment' && comments.has(l.text));
    assert.ok(ok, `case ${c.index} (seed ${SEED}): line ${j + 1} of the result ${JSON.stringify(l.text)} appeared in an untouched section`);
  }
}

test('generated config files × random edit sequences: untouched bytes kept, botocore sees exactly the intent', async (t) => {
  const started = Date.now();
  t.diagnostic(`seed ${SEED} (rerun with TRUST_SEED=${SEED})`);
  const r = rng(SEED);
  const scratch = new ScratchDir();
  try {
    const cases: Case[] = [];
    for (let i = 0; i < CASES; i++) {
      const gen = generateConfig(r, i < LONG_CASES ? { sections: r.int(800, 1500), refusalRate: 0 } : {});
      cases.push({ index: i, gen, before: gen.text, after: gen.text, steps: [], touchedProfiles: new Set(), touchedSessions: new Set() });
    }
    const beforeViews = botocoreViewBatched(cases.map((c) => scratch.write(c.before)));
    let edits = 0;
    let refusedEdits = 0;
    let invalid = 0;
    const lines = cases.reduce((n, c) => n + c.gen.lineCount, 0);
    for (const c of cases) {
      const v = beforeViews[c.index];
      const where = `case ${c.index} (seed ${SEED})`;
      if (c.gen.refusal === 'default-twice') {
        // The CLI reads two [default]s (the later wins): only an edit of "default" is refused.
        assert.ok(v.ok, `${where}: botocore on a default-twice file: ${v.error}`);
        const step = planStep(r, { profiles: { ...v.profiles! }, ssoSessions: { ...v.ssoSessions! } }, c.gen.defaults, { n: 0 }, c);
        c.steps.push(step);
        const touches = [...(step.changes.upserts ?? []).map((p) => p.name), ...(step.changes.removals ?? [])].includes('default');
        if (touches || step.fails) {
          step.refused = true;
          assert.throws(() => applyProfiles(c.before, step.changes), (e) => {
            assert.ok(isSsoError(e, 'ConfigFile') || (step.fails && isSsoError(e, 'InvalidInput')), `${where}: ${String(e)}`);
            if (isSsoError(e, 'ConfigFile')) assert.match(e.message, /profile "default" is defined twice.*left untouched|left untouched.*profile "default" is defined twice/s);
            return true;
          });
          refusedEdits++;
        } else {
          c.after = applyProfiles(c.before, step.changes);
          edits++;
        }
        continue;
      }
      if (c.gen.refusal) {
        // The CLI itself refuses these.
        assert.equal(v.ok, false, `${where}: botocore on a ${c.gen.refusal} file: ${v.error}`);
        const step = planStep(r, { profiles: { ...(v.profiles ?? {}) }, ssoSessions: { ...(v.ssoSessions ?? {}) } }, c.gen.defaults, { n: 0 }, c);
        c.steps.push(step);
        step.refused = true;
        assert.throws(() => applyProfiles(c.before, step.changes), (e) => {
          // An InvalidInput found before the file is read is fine too: nothing is written either way.
          assert.ok(isSsoError(e, 'ConfigFile') || (step.fails && isSsoError(e, 'InvalidInput')), `${where}: ${String(e)}`);
          if (isSsoError(e, 'ConfigFile')) assert.match(e.message, /cannot be read by the AWS CLI.*left untouched/s);
          return true;
        });
        refusedEdits++;
        continue;
      }
      assert.ok(v.ok, `${where}: the generator made a file botocore cannot read: ${v.error}\n${c.before.slice(0, 2000)}`);
      assert.deepEqual(parseConfig(c.before).problems, [], `${where}: a good file is flagged`);
      const exp: View = structuredClone({ profiles: v.profiles!, ssoSessions: v.ssoSessions! });
      const counter = { n: 0 };
      const steps = r.int(1, 5);
      for (let s = 0; s < steps; s++) {
        const step = planStep(r, exp, c.gen.defaults, counter, c);
        c.steps.push(step);
        edits++;
        if (step.fails) {
          invalid++;
          assert.throws(() => applyProfiles(c.after, step.changes), (e) => isSsoError(e, step.fails), `${where} step ${s}`);
          continue;
        }
        try {
          c.after = applyProfiles(c.after, step.changes);
        } catch (e) {
          assert.fail(`${where} step ${s}: ${String(e)}\nchanges: ${JSON.stringify(step.changes)}\nfile: ${JSON.stringify(c.after.slice(0, 3000))}`);
        }
      }
      c.expected = exp;
      assertUntouched(c);
    }
    const good = cases.filter((c) => !c.gen.refusal);
    const afterViews = botocoreViewBatched(good.map((c) => scratch.write(c.after)));
    good.forEach((c, k) => {
      const v = afterViews[k];
      const where = `case ${c.index} (seed ${SEED})`;
      assert.ok(v.ok, `${where}: botocore cannot read our result: ${v.error}`);
      assert.deepEqual(v.profiles, c.expected!.profiles, `${where}: profiles as botocore sees them`);
      assert.deepEqual(v.ssoSessions, c.expected!.ssoSessions, `${where}: sso-sessions as botocore sees them`);
      assert.deepEqual(v.services, beforeViews[c.index].services, `${where}: [services] untouched`);
    });

    // The same sequences through ConfigFile on disk: the same bytes, and refusals write nothing.
    const dir = await mkdtemp(join(tmpdir(), 'trust-gen-disk-'));
    let onDisk = 0;
    try {
      const pick = [...good.slice(0, ON_DISK_CASES), ...cases.filter((c) => c.gen.refusal).slice(0, 20)];
      for (const c of pick) {
        const path = join(dir, `config-${c.index}`);
        await writeFile(path, c.before);
        const cfg = new ConfigFile(path);
        for (const step of c.steps) {
          if (step.fails || step.refused) {
            await assert.rejects(cfg.edit((x) => applyProfiles(x, step.changes)), (e) => {
              assert.ok(isSsoError(e), String(e));
              if (isSsoError(e, 'ConfigFile')) assert.ok(e.message.startsWith(path), e.message);
              return true;
            });
          } else {
            await cfg.edit((x) => applyProfiles(x, step.changes));
          }
        }
        assert.equal(await readFile(path, 'utf8'), c.after, `case ${c.index}: on disk`);
        if (c.steps.every((x) => x.refused)) assert.ok(!(await readdir(dir)).includes(`config-${c.index}.bak`), 'a refused edit leaves no backup');
        onDisk++;
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const refusals: Record<string, number> = {};
    for (const c of cases) if (c.gen.refusal) refusals[c.gen.refusal] = (refusals[c.gen.refusal] ?? 0) + 1;
    t.diagnostic(
      `${cases.length} files (${lines} lines, ${LONG_CASES} long), ${edits} edit batches (${invalid} refused as invalid input), ` +
        `${refusedEdits} refused files ${JSON.stringify(refusals)}, ${onDisk} replayed on disk, 2 botocore passes, ${Date.now() - started} ms`,
    );
  } finally {
    scratch.cleanup();
  }
});
