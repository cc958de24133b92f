// The AWS SDK clients the core calls, bundled on their own into dist/sdk.js, which src/core/sdk.ts
// requires on the first network call (esbuild.config.mjs LAZY_CHUNKS). Import nothing else here:
// whatever this file reaches is parsed with the SDK, and a module of ours would exist twice.

/** `@aws-sdk/client-sso-oidc`; its module bodies run on this first call, not when the file loads. */
export function oidc(): typeof import('@aws-sdk/client-sso-oidc') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-sso-oidc');
}

/** `@aws-sdk/client-sso`. */
export function portal(): typeof import('@aws-sdk/client-sso') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-sso');
}

/** `@aws-sdk/client-sts`: AssumeRole for chained profiles. */
export function sts(): typeof import('@aws-sdk/client-sts') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('@aws-sdk/client-sts');
}

/** The SDK's Node request handler: the command line's requests through a proxy or with its own certificate authorities (src/core/network.ts). */
export function http(): { NodeHttpHandler: typeof import('@smithy/node-http-handler').NodeHttpHandler } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return { NodeHttpHandler: (require('@smithy/node-http-handler') as typeof import('@smithy/node-http-handler')).NodeHttpHandler };
}
