// AWS SSO: Check for Long-Term Access Keys — the migration the organisation's guide asks for:
// find IAM user keys (aws_access_key_id) in the credentials and config files, and the profiles
// that use them, then back both files up and remove the keys the user picks; then fix, on the
// user's word, the profiles left assuming a role from a source without credentials.
import { plural } from '../../core/plural';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import { BrokenDependent, editWithBackup, findBrokenDependents, findLongTermKeys, fixDependents, LongTermKey, removeLongTermKeysFromFile, ssoSourceProfiles } from '../../core/migration';
import { fixCredentialsDependents } from '../../core/credentials';
import type { App } from '../app';
import { setLongTermKeysChecked } from '../walkthrough';

const t = vscode.l10n.t;

async function readOrEmpty(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw new SsoError('ConfigFile', t('Cannot read {0}: {1}', path, (e as NodeJS.ErrnoException).code ?? 'error'), { cause: e });
  }
}

/** Resolves with the keys removed (none when there were none or the user cancelled). */
export async function checkLongTermKeysCommand(app: App): Promise<LongTermKey[]> {
  const { credentialsFile, configFile } = app.services.paths;
  const found = findLongTermKeys(await readOrEmpty(credentialsFile), await readOrEmpty(configFile));
  app.log.info(`long-term keys: ${plural(found.length, '1 profile holds', `${found.length} profiles hold`)} one`);
  if (found.length === 0) {
    // The keys may be gone while profiles still start from them: that is unfinished migration.
    const left = await fixBrokenDependents(app);
    setLongTermKeysChecked(left === 0);
    if (left < 0) void vscode.window.showInformationMessage(t('No long-term access keys found in {0} or {1}. Nothing to migrate.', credentialsFile, configFile));
    return [];
  }
  const items = found.map((k) => ({
    label: k.profile,
    description: `${k.accessKeyIdMasked} · ${k.file === 'credentials' ? credentialsFile : configFile}`,
    detail: k.usedBy.length > 0 ? t('Used as source_profile by: {0}', k.usedBy.join(', ')) : undefined,
    picked: true,
    key: k,
  }));
  const picked = await app.prompter.quickPickMany('pickLongTermKeys', items, {
    title: t('Long-term access keys ({0})', found.length),
    placeHolder: t('Keys to remove (both files are backed up first)'),
    matchOnDescription: true,
  });
  if (!picked || picked.length === 0) return [];
  const chosen = picked.map((p) => p.key);
  const users = [...new Set(chosen.flatMap((k) => k.usedBy))];
  const remove = t('Back Up and Remove');
  const answer = await app.prompter.message(
    'confirmRemoveKeys',
    'warning',
    plural(chosen.length, t('Remove the access keys of 1 profile?'), t('Remove the access keys of {0} profiles?', chosen.length)),
    {
      modal: true,
      detail: [
        t('Your organisation moves to IAM Identity Center and asks to remove aws_access_key_id and aws_secret_access_key from your AWS files. Use SSO profiles instead.'),
        users.length ? t('These profiles use them through source_profile and stop working: {0}. You can then start them from an SSO profile, or remove them.', users.join(', ')) : '',
        t('A backup copy of each file is written first. It still holds the keys: delete it once you have checked, and deactivate the keys in the IAM console.'),
      ]
        .filter(Boolean)
        .join('\n\n'),
    },
    remove,
  );
  if (answer !== remove) return [];

  const backups: string[] = [];
  for (const [kind, path] of [['credentials', credentialsFile], ['config', configFile]] as const) {
    const profiles = chosen.filter((k) => k.file === kind).map((k) => k.profile);
    if (profiles.length === 0) continue;
    const { backupPath } = await removeLongTermKeysFromFile(path, profiles, kind);
    if (backupPath) backups.push(backupPath);
    app.log.info(`long-term keys: removed ${profiles.length} from ${path}`);
  }
  await app.store.reload();
  const open = t('Open IAM Console');
  void vscode.window
    .showInformationMessage(
      plural(
        chosen.length,
        t('Removed the access keys of 1 profile. Backups: {0}. Delete them once you no longer need them, and deactivate the keys in IAM.', backups.join(', ')),
        t('Removed the access keys of {0} profiles. Backups: {1}. Delete them once you no longer need them, and deactivate the keys in IAM.', chosen.length, backups.join(', ')),
      ),
      open,
    )
    .then((c) => (c === open ? vscode.env.openExternal(vscode.Uri.parse('https://console.aws.amazon.com/iam/home#/security_credentials')) : undefined));
  const left = await fixBrokenDependents(app);
  setLongTermKeysChecked(chosen.length === found.length && left <= 0);
  return chosen;
}

type Fix = { use: string } | 'remove' | 'leave';

/**
 * For each profile left assuming its role from a source without credentials: start it from an SSO
 * profile the user picks (only its source_profile line changes), remove it (after a confirmation),
 * or leave it. Resolves with how many stay broken; -1 when none was.
 */
async function fixBrokenDependents(app: App): Promise<number> {
  const { credentialsFile, configFile } = app.services.paths;
  const configText = await readOrEmpty(configFile);
  const broken = findBrokenDependents(await readOrEmpty(credentialsFile), configText);
  if (broken.length === 0) return -1;
  app.log.info(`long-term keys: ${plural(broken.length, '1 profile assumes', `${broken.length} profiles assume`)} a role from a source without credentials`);
  const sources = ssoSourceProfiles(configText);
  const repoint: Array<{ profile: string; sourceProfile: string; file: BrokenDependent['file'] }> = [];
  const remove: BrokenDependent[] = [];
  const left: BrokenDependent[] = [];
  for (const d of broken) {
    const items: Array<vscode.QuickPickItem & { fix: Fix }> = [
      ...sources.filter((s) => s !== d.profile).map((s) => ({ label: `$(arrow-right) ${t('Use SSO profile {0}', s)}`, description: t('source_profile = {0}', s), fix: { use: s } as Fix })),
      { label: `$(trash) ${t('Remove the profile')}`, fix: 'remove' },
      { label: `$(circle-slash) ${t('Leave it')}`, description: t('it keeps failing'), fix: 'leave' },
    ];
    const picked = await app.prompter.quickPick('fixDependent', items, {
      title:
        d.reason === 'missing'
          ? t('{0} assumes its role from {1}, which no longer exists', d.profile, d.sourceProfile)
          : t('{0} assumes its role from {1}, which has no credentials', d.profile, d.sourceProfile),
      placeHolder: t('Fix {0}', d.profile),
    });
    const fix = picked?.fix ?? 'leave';
    if (fix === 'leave') left.push(d);
    else if (fix === 'remove') remove.push(d);
    else repoint.push({ profile: d.profile, sourceProfile: fix.use, file: d.file });
  }
  if (remove.length > 0) {
    const yes = t('Remove');
    const names = remove.map((d) => d.profile).join(', ');
    const inCredentials = remove.some((d) => d.file === 'credentials');
    const inConfig = remove.some((d) => d.file === 'config');
    const answer = await app.prompter.message(
      'confirmRemoveDependents',
      'warning',
      inCredentials && !inConfig
        ? plural(remove.length, t('Remove the profile {0} from the credentials file?', names), t('Remove {0} profiles from the credentials file: {1}?', remove.length, names))
        : inCredentials
          ? t('Remove {0} profiles from the config and credentials files: {1}?', remove.length, names)
          : plural(remove.length, t('Remove the profile {0} from the config file?', names), t('Remove {0} profiles from the config file: {1}?', remove.length, names)),
      { modal: true, detail: inCredentials ? t('A backup copy of each file is written first.') : t('A backup copy of the config file is written first.') },
      yes,
    );
    if (answer !== yes) left.push(...remove.splice(0));
  }
  const done: string[] = [...repoint.map((x) => t('{0} now starts from {1}.', x.profile, x.sourceProfile))];
  if (remove.length > 0) done.push(t('Removed {0}.', remove.map((d) => d.profile).join(', ')));
  // Each file is edited under its own rules: the config file through the store's ConfigFile, the
  // credentials file ([NAME] sections) with a backup of its own.
  const files = [
    { file: 'config' as const, path: configFile, apply: (rp: typeof repoint, rm: string[]) => app.services.config.edit((text) => fixDependents(text, rp, rm)), previous: (b: string) => t('The previous config file is {0}.', b) },
    { file: 'credentials' as const, path: credentialsFile, apply: (rp: typeof repoint, rm: string[]) => editWithBackup(credentialsFile, (text) => fixCredentialsDependents(text, rp, rm)), previous: (b: string) => t('The previous credentials file is {0}.', b) },
  ];
  for (const f of files) {
    const rp = repoint.filter((x) => x.file === f.file);
    const rm = remove.filter((d) => d.file === f.file).map((d) => d.profile);
    if (rp.length === 0 && rm.length === 0) continue;
    const r = await f.apply(rp, rm);
    app.log.info(`long-term keys: ${rp.length} dependent re-pointed, ${rm.length} removed in ${f.path}`);
    if (r.backupPath) done.push(f.previous(r.backupPath));
  }
  if (repoint.length > 0 || remove.length > 0) await app.store.reload();
  if (left.length > 0) {
    const where = left.map((d) => `${d.profile} (source_profile = ${d.sourceProfile})`).join(', ');
    done.push(
      plural(
        left.length,
        t('Still broken: {0}. The AWS CLI cannot get credentials for it; run this check again to fix it.', where),
        t('Still broken: {0}. The AWS CLI cannot get credentials for them; run this check again to fix them.', where),
      ),
    );
    void vscode.window.showWarningMessage(done.join(' '));
  } else {
    void vscode.window.showInformationMessage(done.join(' '));
  }
  return left.length;
}
