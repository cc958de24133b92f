// Reads a config file with the AWS SDK for JavaScript's own loader, to check what the SDKs see.
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { join } from 'node:path';

export type SdkView = Record<string, Record<string, string | undefined>>;

/** The SDK's parsed config file: profiles by name, `sso-session.NAME`, `services.NAME`. */
export async function sdkView(configPath: string): Promise<SdkView> {
  const { configFile } = await loadSharedConfigFiles({
    configFilepath: configPath,
    // A credentials file that does not exist, so nothing of the real ~/.aws is read.
    filepath: join(configPath, '..', 'no-such-credentials-file'),
    ignoreCache: true,
  });
  // Plain objects, so deepStrictEqual compares contents only.
  return JSON.parse(JSON.stringify(configFile)) as SdkView;
}
