// AWS SSO: Check for Long-Term Access Keys — the migration the organisation's guide asks for:
// find IAM user keys (aws_access_key_id) in the credentials and config files, and the profiles
// that use them, then back both files up and remove the keys the user picks.
import { plural } from '../../core/plural';
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { SsoError } from '../../core/errors';
import { findLongTermKeys, LongTermKey, removeLongTermKeysFromFile } from '../../core/migration';
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
    setLongTermKeysChecked(true);
    void vscode.window.showInformationMessage(t('No long-term access keys found in {0} or {1}. Nothing to migrate.', credentialsFile, configFile));
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
        users.length ? t('These profiles use them through source_profile and stop working: {0}.', users.join(', ')) : '',
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
  setLongTermKeysChecked(chosen.length === found.length);
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
  return chosen;
}
