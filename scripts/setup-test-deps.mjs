// Installs what the test tiers need and a fresh machine lacks, so `npm ci && npm test` passes there.
// `npm test` runs it first; `node scripts/setup-test-deps.mjs` runs it alone.
//
// What the tiers need besides Node and npm (Debian package → why):
// - python3: configparser checks of every config file we write (trust tier);
// - awscli: the real AWS CLI v2 at /usr/bin/aws (its botocore decides the formats we match; interop tier);
// - chromium: the browser that drives the real editor (code-server) in the host and UI tiers;
// - libkrb5-dev: code-server's native modules build against it (only while code-server is installed);
// - code-server itself: scripts/install-code-server.sh, into the ignored .tools/ folder.
//
// Fast and silent when everything is there (no apt-get, no network): each check is a file test or
// `dpkg -s`. As root it runs `apt-get update && apt-get install -y …`; otherwise it prints the one
// `sudo apt-get install -y …` line to run and exits 1.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const AWS_CLI = '/usr/bin/aws';
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CODE_SERVER_DIR = join(REPO, '.tools/code-server');

/**
 * Decides what to install from what the probes see. Pure, so a test can feed it any machine.
 * @param {{ hasCommand(name: string): boolean, isExecutable(path: string): boolean,
 *   dpkgInstalled(pkg: string): boolean, awsVersion(): string, codeServerInstalled(): boolean }} probe
 * @returns {{ packages: string[], problems: string[] }}
 */
export function planSetup(probe) {
  const packages = [];
  const problems = [];
  if (!probe.hasCommand('python3')) packages.push('python3');
  if (!probe.isExecutable(AWS_CLI)) packages.push('awscli');
  else {
    const version = probe.awsVersion();
    // Debian 12's awscli is v2; an older image's v1 would pass the file test and fail interop.
    if (!/^aws-cli\/2\./.test(version)) problems.push(`${AWS_CLI} is not the AWS CLI v2 (it says "${version.trim()}"); the interop tests need v2`);
  }
  if (!probe.isExecutable(CHROMIUM)) packages.push('chromium');
  if (!probe.codeServerInstalled() && !probe.dpkgInstalled('libkrb5-dev')) packages.push('libkrb5-dev');
  return { packages, problems };
}

/** The command to run, as root or not. */
export function installCommand(packages, isRoot) {
  const install = `apt-get install -y --no-install-recommends ${packages.join(' ')}`;
  return isRoot ? `apt-get update && ${install}` : `sudo apt-get update && sudo ${install}`;
}

const systemProbe = {
  hasCommand: (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0,
  isExecutable: (path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  },
  dpkgInstalled: (pkg) => spawnSync('dpkg', ['-s', pkg], { stdio: 'ignore' }).status === 0,
  awsVersion: () => {
    // dpkg answers in milliseconds; `aws --version` starts Python (~2 s), so it is only the fallback
    // for a CLI that did not come from Debian's awscli package.
    const deb = spawnSync('dpkg-query', ['-W', '-f=${Version}', 'awscli'], { encoding: 'utf8' });
    if (deb.status === 0 && /^\d/.test(deb.stdout)) return `aws-cli/${deb.stdout} (Debian awscli)`;
    const r = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
    return `${r.stdout ?? ''}${r.stderr ?? ''}`;
  },
  codeServerInstalled: () => {
    // install-code-server.sh writes .installed-<version> last; any marker means a finished install
    // (the script itself re-checks the version when called below).
    try {
      return readdirSync(CODE_SERVER_DIR).some((f) => f.startsWith('.installed-'));
    } catch {
      return false;
    }
  },
};

function main() {
  const log = (m) => console.error(`[setup-test-deps] ${m}`);
  const { packages, problems } = planSetup(systemProbe);
  if (problems.length > 0) {
    for (const p of problems) log(p);
    process.exit(1);
  }
  if (packages.length > 0) {
    const isRoot = process.getuid?.() === 0;
    const hasApt = systemProbe.hasCommand('apt-get');
    if (!isRoot || !hasApt) {
      log(`the tests need ${packages.join(', ')}; run:`);
      console.error(hasApt ? installCommand(packages, false) : `(no apt-get here) install: ${packages.join(' ')}`);
      process.exit(1);
    }
    const cmd = installCommand(packages, true);
    log(cmd);
    const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (r.status !== 0) {
      log(`apt-get failed (exit ${r.status})`);
      process.exit(1);
    }
    const after = planSetup(systemProbe);
    if (after.packages.length > 0 || after.problems.length > 0) {
      log(`still missing after apt-get: ${[...after.packages, ...after.problems].join('; ')}`);
      process.exit(1);
    }
  }
  // Idempotent: prints the path at once when the right version is installed.
  const cs = spawnSync('bash', [join(REPO, 'scripts/install-code-server.sh')], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (cs.status !== 0) {
    log('installing code-server failed (see above)');
    process.exit(1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
