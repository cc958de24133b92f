// Where the bearer token may go: the endpoint overrides follow the same https-or-loopback rule as everything else.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createOidcClient, createPortalClient, oidcEndpoint, portalEndpoint } from '../../../src/core/endpoints';
import { isSsoError } from '../../../src/core/errors';

describe('AWS_ENDPOINT_URL_SSO and AWS_ENDPOINT_URL_SSO_OIDC', () => {
  const refused = ['http://sso.example.com', 'http://10.0.0.5:8080/', 'ftp://127.0.0.1/', 'not a url', 'http://127.0.0.1.example.com/'];
  for (const [name, endpoint, create] of [
    ['AWS_ENDPOINT_URL_SSO', portalEndpoint, createPortalClient],
    ['AWS_ENDPOINT_URL_SSO_OIDC', oidcEndpoint, createOidcClient],
  ] as const) {
    test(`${name}: plain http only to this machine; nothing is created for a refused one`, () => {
      for (const v of refused) {
        assert.throws(() => endpoint('us-east-1', { [name]: v }), (e: unknown) => isSsoError(e, 'InvalidInput') && e.message.includes(name), v);
        assert.throws(() => create('us-east-1', { env: { [name]: v } }), (e: unknown) => isSsoError(e, 'InvalidInput'), v);
      }
      assert.equal(endpoint('us-east-1', { [name]: 'https://sso.proxy.example.com/' }), 'https://sso.proxy.example.com');
      for (const v of ['http://127.0.0.1:4566', 'http://localhost:4566/', 'http://[::1]:4566']) {
        assert.equal(endpoint('us-east-1', { [name]: v }), v.replace(/\/$/, ''));
      }
    });
  }

  test('the defaults follow the partition of the region', () => {
    assert.equal(oidcEndpoint('eu-west-1', {}), 'https://oidc.eu-west-1.amazonaws.com');
    assert.equal(portalEndpoint('cn-north-1', {}), 'https://portal.sso.cn-north-1.amazonaws.com.cn');
    assert.equal(oidcEndpoint('us-gov-west-1', {}), 'https://oidc.us-gov-west-1.amazonaws.com');
  });
});
