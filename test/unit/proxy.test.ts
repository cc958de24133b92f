// The command line's network rule (src/core/proxy.ts): which proxy applies to a URL as botocore decides it
// (urllib's getproxies_environment / proxy_bypass_environment), how a proxy is named in messages, and which
// certificate authorities are trusted (AWS_CA_BUNDLE, NODE_EXTRA_CA_CERTS).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rootCertificates } from 'node:tls';
import { isSsoError } from '../../src/core/errors';
import { bypassesProxy, caBundleFromEnv, networkFromEnv, parseProxyUrl, proxyFor, redactProxyUrl } from '../../src/core/proxy';

const PEM = (n: number) => `-----BEGIN CERTIFICATE-----\nMII${n}\n-----END CERTIFICATE-----`;
const files: Record<string, string> = {
  '/ca/bundle.pem': `junk before\n${PEM(1)}\n${PEM(2)}\n`,
  '/ca/extra.pem': `${PEM(3)}\n`,
  '/ca/empty.pem': 'no certificates here\n',
};
const read = (f: string) => {
  if (f in files) return files[f];
  throw Object.assign(new Error(`ENOENT: no such file, open '${f}'`), { code: 'ENOENT' });
};
const u = (s: string) => new URL(s);

test('NO_PROXY: exact host, domain suffix with or without a leading dot, host:port, * (alone), IPv6; case and spaces around entries ignored', () => {
  const cases: Array<[string, string, boolean]> = [
    ['https://oidc.us-east-1.amazonaws.com', 'oidc.us-east-1.amazonaws.com', true],
    ['https://oidc.us-east-1.amazonaws.com', 'amazonaws.com', true],
    ['https://oidc.us-east-1.amazonaws.com', '.amazonaws.com', true],
    ['https://oidc.us-east-1.amazonaws.com', '..AMAZONAWS.COM', true],
    ['https://oidc.us-east-1.amazonaws.com', 'example.com, amazonaws.com', true],
    ['https://oidc.us-east-1.amazonaws.com', 'example.com,,', false],
    // A suffix only on a dot boundary (urllib; requests' plain endswith would match).
    ['https://badamazonaws.com', 'amazonaws.com', false],
    ['https://oidc.us-east-1.amazonaws.com', 'east-1.amazonaws', false],
    ['https://127.0.0.1:8443', '127.0.0.1', true],
    ['https://127.0.0.1:8443', '127.0.0.1:8443', true],
    ['https://127.0.0.1:8443', '127.0.0.1:9443', false],
    ['https://127.0.0.1:8443', '127.0.0.2', false],
    // host:port matches only a URL that spells the port out, as in urllib.
    ['https://example.com', 'example.com:443', false],
    ['https://a.example.com:8443', 'example.com:8443', true],
    ['https://anything.example', '*', true],
    ['https://anything.example', ' * ', false],
    // `*` is special only on its own.
    ['https://anything.example', 'example.com,*', false],
    ['https://anything.example', '', false],
    ['https://[::1]:8443', '[::1]', true],
    ['https://[::1]:8443', '[::1]:8443', true],
    // Also without brackets (urllib: only with).
    ['https://[::1]:8443', '::1', true],
    ['https://Example.COM', 'example.com', true],
  ];
  for (const [url, noProxy, want] of cases) assert.equal(bypassesProxy(u(url), noProxy), want, `${url} with NO_PROXY=${JSON.stringify(noProxy)}`);
  assert.equal(bypassesProxy(u('https://x.example'), undefined), false);
});

test('the proxy variables as urllib reads them: lower case wins, an empty lower-case one switches the upper-case one off', () => {
  assert.equal(networkFromEnv({ HTTPS_PROXY: 'http://up:3128' }, read).httpsProxy?.url.host, 'up:3128');
  assert.equal(networkFromEnv({ HTTPS_PROXY: 'http://up:3128' }, read).httpsProxy?.variable, 'HTTPS_PROXY');
  const both = networkFromEnv({ HTTPS_PROXY: 'http://up:3128', https_proxy: 'http://low:3128' }, read).httpsProxy;
  assert.equal(both?.url.host, 'low:3128');
  assert.equal(both?.variable, 'https_proxy');
  assert.equal(networkFromEnv({ HTTPS_PROXY: 'http://up:3128', https_proxy: '' }, read).httpsProxy, undefined);
  assert.equal(networkFromEnv({ NO_PROXY: 'a.example', no_proxy: 'b.example' }, read).noProxy, 'b.example');
  // HTTP_PROXY is for http targets, which are only ever this machine here: not read.
  assert.equal(networkFromEnv({ HTTP_PROXY: 'http://up:3128' }, read).httpsProxy, undefined);
  assert.deepEqual(networkFromEnv({}, read), { warnings: [] });
});

test('proxyFor: https targets only, NO_PROXY applied', () => {
  const net = networkFromEnv({ HTTPS_PROXY: 'proxy.corp:8080', NO_PROXY: '.internal' }, read);
  assert.equal(proxyFor('https://oidc.eu-west-1.amazonaws.com', net)?.url.href, 'http://proxy.corp:8080/');
  assert.equal(proxyFor('https://sso.internal', net), undefined);
  assert.equal(proxyFor('http://127.0.0.1:4000', net), undefined);
  assert.equal(proxyFor('https://oidc.eu-west-1.amazonaws.com', { warnings: [] }), undefined);
});

test('proxy URLs as botocore fixes them (host:port and //host mean http); other schemes are an error naming the variable, password masked', () => {
  assert.equal(parseProxyUrl('proxy.corp:8080', 'HTTPS_PROXY').url.href, 'http://proxy.corp:8080/');
  assert.equal(parseProxyUrl('//proxy.corp:8080', 'HTTPS_PROXY').url.href, 'http://proxy.corp:8080/');
  assert.equal(parseProxyUrl('https://proxy.corp', 'HTTPS_PROXY').url.protocol, 'https:');
  assert.equal(parseProxyUrl('user:pw@proxy.corp:8080', 'HTTPS_PROXY').url.password, 'pw');
  for (const [raw, pattern] of [
    ['socks5://u:secret@h:1080', /^HTTPS_PROXY names a socks5 proxy \(socks5:\/\/u:\*\*\*@h:1080\)/],
    ['http://u:secret@', /^HTTPS_PROXY is not a proxy URL: http:\/\/\*\*\*@\.$/],
  ] as const) {
    assert.throws(
      () => parseProxyUrl(raw, 'HTTPS_PROXY'),
      (e: unknown) => isSsoError(e, 'InvalidInput') && pattern.test(e.message) && !e.message.includes('secret'),
      raw,
    );
  }
});

test('redaction: user kept, password masked, nothing else changed; unparsable text loses everything before @', () => {
  assert.equal(redactProxyUrl(u('http://alice:p%40ss@127.0.0.1:3128')), 'http://alice:***@127.0.0.1:3128');
  assert.equal(redactProxyUrl(u('http://alice@127.0.0.1:3128')), 'http://alice@127.0.0.1:3128');
  assert.equal(redactProxyUrl(u('http://127.0.0.1:3128/')), 'http://127.0.0.1:3128');
  assert.equal(redactProxyUrl(u('https://:tok@proxy.corp')), 'https://:***@proxy.corp');
  assert.equal(redactProxyUrl('ht tp://a:b@c:1'), 'ht tp://a:b@c:1'.replace(/^.*@/, '***@'));
  assert.equal(redactProxyUrl('http://a:b@c@d:1'), 'http://***@d:1');
});

test('AWS_CA_BUNDLE replaces the default authorities; NODE_EXTRA_CA_CERTS adds to whichever are in use', () => {
  assert.deepEqual(caBundleFromEnv({}, read), { warnings: [] });
  assert.deepEqual(caBundleFromEnv({ AWS_CA_BUNDLE: '/ca/bundle.pem' }, read), { ca: [PEM(1), PEM(2)], warnings: [] });
  assert.deepEqual(caBundleFromEnv({ AWS_CA_BUNDLE: '/ca/bundle.pem', NODE_EXTRA_CA_CERTS: '/ca/extra.pem' }, read).ca, [PEM(1), PEM(2), PEM(3)]);
  const extra = caBundleFromEnv({ NODE_EXTRA_CA_CERTS: '/ca/extra.pem' }, read).ca!;
  assert.equal(extra.length, rootCertificates.length + 1);
  assert.equal(extra.at(-1), PEM(3));
});

test('CA bundle errors: an unreadable or empty AWS_CA_BUNDLE fails, naming it; an unreadable NODE_EXTRA_CA_CERTS is a warning, as in Node', () => {
  assert.throws(() => caBundleFromEnv({ AWS_CA_BUNDLE: '/ca/missing.pem' }, read), (e: unknown) =>
    isSsoError(e, 'InvalidInput') && e.message === 'AWS_CA_BUNDLE names /ca/missing.pem, which cannot be read (ENOENT).');
  assert.throws(() => caBundleFromEnv({ AWS_CA_BUNDLE: '/ca/empty.pem' }, read), /AWS_CA_BUNDLE names \/ca\/empty\.pem, which holds no PEM certificate/);
  const r = caBundleFromEnv({ AWS_CA_BUNDLE: '/ca/bundle.pem', NODE_EXTRA_CA_CERTS: '/ca/missing.pem' }, read);
  assert.deepEqual(r.ca, [PEM(1), PEM(2)]);
  assert.deepEqual(r.warnings, ['NODE_EXTRA_CA_CERTS names /ca/missing.pem, which cannot be read (ENOENT); ignored.']);
  assert.match(caBundleFromEnv({ NODE_EXTRA_CA_CERTS: '/ca/empty.pem' }, read).warnings[0], /holds no PEM certificate; ignored/);
});
