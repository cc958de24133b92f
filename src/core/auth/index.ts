// The sign-in part of the core: what the CLI and the extension import.
export { SsoAuth, MIN_USABLE_MS } from './session';
export type { SsoAuthOptions } from './session';
export type { OidcClientLike, PortalClientLike } from './clients';
export type { DevicePrompt, DeviceFlowOptions } from './deviceFlow';
export type { PkceOptions } from './pkceFlow';
export type { RoleRef } from './logout';
export { roleCredentialCacheKey } from './logout';
export { REFRESH_WINDOW_MS, needsRefresh } from './renewable';
export { formatCliTime, parseCliTime, registrationCacheKey, tokenCacheKey, tokenFilePath } from './tokenCache';
