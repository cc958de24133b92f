// Trust §2: our writes (ConfigFile.edit in a loop) race another writer on the same file, while
// a reader parses it continuously. No update is lost, no reader sees a partial file.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigFile } from '../../../src/core/config/configFile';
import { applyProfiles, SsoSessionSpec } from '../../../src/core/config/edit';
import { listProfiles } from '../../../src/core/config/read';
import { isSsoError } from '../../../src/core/errors';
import { botocoreView } from '../../helpers/trust-botocore';

const S: SsoSessionSpec = { name: 'race', startUrl: 'https://race.awsapps.com/start', region: 'us-east-1', scopes: ['sso:account:access'] };
const BASE = '# hand-written, keep me\n[default]\nregion = eu-west-1\ns3 =\n  max_concurrent_requests = 4\n\n[sso-session race]\nsso_start_url = https://race.awsapps.com/start\nsso_region = us-east-1\n';
const RACE_MS = Number(process.env.TRUST_RACE_MS ?? 4000);

/** A node child: read, add its own section, re-check, write a temp file and rename it over. */
const WRITER = String.raw`
const fs = require('fs');
const [path, ms] = [process.argv[1], Number(process.argv[2])];
const end = Date.now() + ms;
let k = 0, retries = 0;
const pause = new Int32Array(new SharedArrayBuffer(4));
while (Date.now() < end) {
  const text = fs.readFileSync(path, 'utf8');
  const next = text + (text.endsWith('\n') ? '' : '\n') + '\n[profile child-' + k + ']\nregion = us-west-2\nchild_marker = ' + k + '\n';
  const tmp = path + '.child.' + process.pid + '.tmp';
  fs.writeFileSync(tmp, next);
  // The same discipline as ours: only replace the version we read.
  if (fs.readFileSync(path, 'utf8') !== text) { fs.rmSync(tmp); retries++; continue; }
  fs.renameSync(tmp, path);
  k++;
  // A busy program, not a hostile one: some fifty writes a second.
  Atomics.wait(pause, 0, 0, 15);
}
process.stdout.write(JSON.stringify({ written: k, retries }));
`;

/** A reader child: parses the file as fast as it can; reports every read that is not a whole file. */
const READER = String.raw`
const fs = require('fs');
const [path, ms] = [process.argv[1], Number(process.argv[2])];
const end = Date.now() + ms;
let reads = 0; const bad = [];
while (Date.now() < end) {
  let t;
  try { t = fs.readFileSync(path, 'utf8'); } catch (e) { bad.push('read ' + e.code); continue; }
  reads++;
  // Every version any writer produces starts with the hand-written block and ends with a complete
  // section: ours end with the managed marker, the child's with child_marker, then a newline.
  const okStart = t.startsWith('# hand-written, keep me\n[default]\n');
  const lastHeader = t.lastIndexOf('\n[');
  const tail = t.slice(lastHeader + 1);
  const okEnd = t.endsWith('\n') && (/^\[profile ours-\d+\]\n(.+\n)*aws_sso_profiles_managed = true\n$/.test(tail) ||
    /^\[profile child-\d+\]\nregion = us-west-2\nchild_marker = \d+\n$/.test(tail) || /^\[sso-session race\]\n(.+\n)+$/.test(tail));
  if (!okStart || !okEnd) bad.push(JSON.stringify(t.slice(-120)));
}
process.stdout.write(JSON.stringify({ reads, bad: bad.slice(0, 5), badCount: bad.length }));
`;

function runChild(args: string[], env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<string> } {
  const child = spawn(args[0], args.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], env: env ?? { PATH: process.env.PATH } });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (err += d));
  const done = new Promise<string>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`child exited ${code}: ${err.slice(0, 500)}`))));
  });
  return { child, done };
}

async function ourLoop(path: string, until: number) {
  const cfg = new ConfigFile(path, { maxAttempts: 50 });
  const written: string[] = [];
  let conflicts = 0;
  let k = 0;
  while (Date.now() < until) {
    const name = `ours-${k++}`;
    try {
      await cfg.edit((t) => applyProfiles(t, { setSessions: [S], upserts: [{ name, ssoSession: 'race', accountId: '123456789012', roleName: 'Racer' }] }));
      written.push(name);
    } catch (e) {
      // Only "kept changing" is an acceptable failure; then nothing of ours was written.
      assert.ok(isSsoError(e, 'ConfigFile') && /kept changing/.test(e.message), String(e));
      conflicts++;
    }
    // Yield so the children get the CPU on 2 cores.
    await new Promise((r) => setImmediate(r));
  }
  return { written, conflicts };
}


interface NodeRace {
  final: string;
  ours: { written: string[]; conflicts: number };
  child: { written: number; retries: number };
  reader: { reads: number; bad: string[]; badCount: number };
  botocoreOk: boolean;
  botocoreProfiles: number;
}

let nodeRace: Promise<NodeRace> | undefined;

/** One bounded race, shared by the tests below. */
function raceNodeWriter(): Promise<NodeRace> {
  nodeRace ??= (async () => {
    const dir = await mkdtemp(join(tmpdir(), 'trust-race-'));
    try {
      const path = join(dir, 'config');
      await writeFile(path, BASE);
      const until = Date.now() + RACE_MS;
      const reader = runChild([process.execPath, '-e', READER, path, String(RACE_MS + 300)]);
      const writer = runChild([process.execPath, '-e', WRITER, path, String(RACE_MS)]);
      const ours = await ourLoop(path, until);
      const child = JSON.parse(await writer.done) as NodeRace['child'];
      const rd = JSON.parse(await reader.done) as NodeRace['reader'];
      const final = await readFile(path, 'utf8');
      const v = botocoreView([path])[0];
      return { final, ours, child, reader: rd, botocoreOk: v.ok, botocoreProfiles: Object.keys(v.profiles ?? {}).length };
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  })();
  return nodeRace;
}

test('racing a read-modify-rename node writer and a reader: no partial file is ever seen, the user\u2019s bytes survive', async (t) => {
  const r = await raceNodeWriter();
  const names = new Set(listProfiles(r.final).map((p) => p.name));
  t.diagnostic(
    `${RACE_MS} ms: ours ${r.ours.written.length} written (${r.ours.conflicts} gave up), child ${r.child.written} written ` +
      `(${r.child.retries} retries), reader ${r.reader.reads} reads, partial reads ${r.reader.badCount}`,
  );
  assert.ok(r.ours.written.length >= 3 && r.child.written >= 3, 'both sides made progress');
  assert.ok(r.reader.reads > 100, 'the reader ran');
  assert.deepEqual(r.reader.bad, [], 'a reader saw a partial or invalid file');
  assert.ok(r.final.startsWith(BASE), 'the hand-written part is byte-identical');
  assert.ok(r.botocoreOk, 'botocore reads the result');
  assert.equal(r.botocoreProfiles, names.size);
});

test('racing a read-modify-rename node writer: no update of either side is lost', async (t) => {
  const r = await raceNodeWriter();
  const names = new Set(listProfiles(r.final).map((p) => p.name));
  const lostOurs = r.ours.written.filter((n) => !names.has(n));
  const lostChild = Array.from({ length: r.child.written }, (_, k) => `child-${k}`).filter((n) => !names.has(n));
  t.diagnostic(`lost: ${lostChild.length} of the child's ${r.child.written} updates, ${lostOurs.length} of our ${r.ours.written.length}`);
  // Without a lock both sides honour, rename-based writers keep a window of a few microseconds
  // (longer when the scheduler preempts a writer inside it): at most 2 % may go, not ~60 % as now.
  assert.ok(lostChild.length <= Math.max(2, r.child.written * 0.02), `${lostChild.length} updates of the other writer we overwrote`);
  // Our updates that the other writer overwrote measure that writer's window, not ours (it
  // re-checks asynchronously): reported, not asserted, as with `aws configure set` below.
  assert.ok(r.ours.written.length - lostOurs.length > 0, 'some of our updates survived');
});

test('ConfigFile.edit races `aws configure set` (the real AWS CLI) on the same file', { skip: !existsSync('/usr/bin/aws') && 'no /usr/bin/aws' }, async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'trust-race-aws-'));
  try {
    await mkdir(join(dir, '.aws'));
    const path = join(dir, '.aws', 'config');
    await writeFile(path, BASE);
    const ms = Math.max(RACE_MS, 4000);
    // One shell loop: each `aws configure set` adds its own profile, and updates one shared key
    // (a later value overwrites an earlier one on purpose).
    const script = `end=$(( $(date +%s%N) / 1000000 + ${ms} )); i=0; while [ $(( $(date +%s%N) / 1000000 )) -lt $end ]; do aws configure set profile.cli-$i.region us-west-$(( i % 2 + 1 )) || exit 1; aws configure set profile.shared.output value-$i || exit 1; i=$((i+1)); done; echo $i`;
    const env = { PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: path, AWS_SHARED_CREDENTIALS_FILE: join(dir, '.aws', 'credentials') };
    const cli = runChild(['bash', '-c', script], env);
    const ours = await ourLoop(path, Date.now() + ms);
    const n = Number((await cli.done).trim());
    const final = await readFile(path, 'utf8');
    const profiles = listProfiles(final);
    const names = new Set(profiles.map((p) => p.name));
    const lostCli = Array.from({ length: n }, (_, k) => `cli-${k}`).filter((x) => !names.has(x));
    const lostOurs = ours.written.filter((x) => !names.has(x));
    t.diagnostic(`${ms} ms: aws configure set ×${2 * n}, ours ${ours.written.length} (${ours.conflicts} gave up); lost cli ${lostCli.length}, lost ours ${lostOurs.length}`);
    assert.ok(n >= 1, 'the CLI ran');
    assert.ok(final.startsWith(BASE), 'the hand-written part is byte-identical');
    const v = botocoreView([path])[0];
    assert.ok(v.ok, v.error);
    awsLost = { cli: lostCli.length, ours: lostOurs.length, shared: profiles.find((p) => p.name === 'shared')?.keys.output === `value-${n - 1}` };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

let awsLost: { cli: number; ours: number; shared: boolean } | undefined;

test('racing `aws configure set`: we never overwrite an update of the AWS CLI', { skip: !existsSync('/usr/bin/aws') && 'no /usr/bin/aws' }, (t) => {
  assert.ok(awsLost, 'the race above ran');
  // `aws configure set` reads, then rewrites the file in place without re-checking: an update of
  // ours that lands between its read and its write is overwritten by the CLI itself, which no
  // writer on our side can prevent without a lock the CLI would honour. Reported, not asserted.
  t.diagnostic(`our updates the AWS CLI overwrote: ${awsLost.ours}`);
  assert.ok(awsLost.cli <= 1, `${awsLost.cli} updates of the AWS CLI we overwrote`);
  assert.ok(awsLost.shared, "the CLI's last value of the shared key survived");
});
