// The core objects the editor UI works with, built for the current config-file setting: where
// the files are, the config file, sign-in, the portal per Identity Center and the listing cache.
//
// Nothing here loads the AWS SDK: SsoAuth, Portal and ConfigFile require it inside the
// functions that make network calls. Sign-in and the portal are not even loaded until first used:
// their classes come from `network()` (in the editor, the code loaded on first use, ./lazy.ts).
import { readTokenFile } from '../core/auth/tokenCache';
import type { SsoAuth } from '../core/auth/session';
import { ConfigFile } from '../core/config/configFile';
import { portalEndpoint } from '../core/endpoints';
import { AwsPaths, resolveAwsPaths } from '../core/paths';
import { ListingCache } from '../core/portal/listingCache';
import type { Log } from '../core/ports';
import type { Portal } from '../core/portal/portal';
import { startUrlKey } from '../core/sessions';
import type { CachedToken, SsoSession } from '../core/types';

/** The classes of what goes to the network. */
export interface NetworkClasses {
  SsoAuth: typeof SsoAuth;
  Portal: typeof Portal;
}

export class Services {
  private _paths!: AwsPaths;
  private _config!: ConfigFile;
  private _auth: SsoAuth | undefined;
  private portals = new Map<string, Portal>();
  readonly listings = new ListingCache();

  constructor(
    private readonly log: Log,
    configFileSetting: string | undefined,
    /** Asked on the first sign-in, renewal or listing. */
    private readonly network: () => NetworkClasses,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {
    this.configure(configFileSetting);
  }

  get paths(): AwsPaths {
    return this._paths;
  }

  get config(): ConfigFile {
    return this._config;
  }

  /** Where endpoint overrides (AWS_ENDPOINT_URL_STS, …) are read. */
  get environment(): NodeJS.ProcessEnv {
    return this.env;
  }

  get auth(): SsoAuth {
    this._auth ??= new (this.network().SsoAuth)({ paths: this._paths, env: this.env, log: this.log });
    return this._auth;
  }

  /** A session's cached token, as SsoAuth.readToken reads it, without loading sign-in. */
  readToken(session: SsoSession): Promise<CachedToken | undefined> {
    return readTokenFile(this._paths, session);
  }

  /** Points everything at another config file (the setting changed). True when it moved. */
  configure(configFileSetting: string | undefined): boolean {
    const paths = resolveAwsPaths(this.env, { configFile: configFileSetting });
    if (this._paths && paths.configFile === this._paths.configFile) return false;
    this._paths = paths;
    this._config = new ConfigFile(paths.configFile);
    this._auth = undefined;
    this.disposePortals();
    this.listings.clear();
    this.log(`config file: ${paths.configFile}`);
    return true;
  }

  /**
   * One Portal per portal endpoint and start URL, so that every listing and credential call to
   * one Identity Center instance shares its adaptive rate limiter, and two instances in one
   * region do not share (and halve) each other's learned rate.
   */
  portal(session: Pick<SsoSession, 'region' | 'startUrl'>): Portal {
    const key = portalKey(session, this.env);
    let p = this.portals.get(key);
    if (!p) {
      p = new (this.network().Portal)({ region: session.region, env: this.env });
      this.portals.set(key, p);
    }
    return p;
  }

  /** The portals' SDK clients hold sockets: closed when the setting moves and on deactivation. */
  dispose(): void {
    this.disposePortals();
  }

  private disposePortals(): void {
    for (const p of this.portals.values()) p.dispose();
    this.portals.clear();
  }
}

/**
 * Which portal a session talks to: the endpoint and the start URL as the sessions rule compares
 * it (startUrlKey). An invalid region has no endpoint yet and fails on the first call, as before.
 */
function portalKey(session: Pick<SsoSession, 'region' | 'startUrl'>, env: NodeJS.ProcessEnv): string {
  let endpoint: string;
  try {
    endpoint = portalEndpoint(session.region, env);
  } catch {
    endpoint = `region:${session.region}`;
  }
  return `${endpoint} ${startUrlKey(session.startUrl)}`;
}
