// Bundle-time stand-in for @aws-sdk/credential-provider-node (see esbuild.config.mjs).
// The SSO OIDC client imports the default credential chain only for CreateTokenWithIAM, a
// SigV4-signed call this extension never makes; every call we make is unauthenticated or
// carries a bearer token. Leaving the chain out saves ~90 KB (STS, SSO and OIDC nested clients,
// IMDS) and guarantees we never read the user's long-term keys.
'use strict';
exports.defaultProvider = () => async () => {
  throw new Error('aws-sso-profiles does not sign requests with AWS credentials.');
};
