import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alreadyApprovedText, deviceCodeText, keepPathAndQuery } from '../../../src/ui/deviceCodeModel';

const t = (m: string, ...a: Array<string | number | boolean>) => m.replace(/\{(\d+)\}/g, (_, i) => String(a[Number(i)]));

test('the dialog shows the verification link, to open on any device, with the code and its end', () => {
  const { message, detail } = deviceCodeText(t, {
    sessionName: 'corp',
    startUrl: 'https://corp.awsapps.com/start',
    userCode: 'ABCD-EFGH',
    verificationUri: 'https://device.sso.us-east-1.amazonaws.com/',
    until: '14:05',
  });
  assert.equal(message, 'Sign in to "corp" with code ABCD-EFGH');
  assert.match(detail, /corp\.awsapps\.com/);
  assert.match(detail, /open https:\/\/device\.sso\.us-east-1\.amazonaws\.com\/ on any device and enter the code/);
  assert.match(detail, /until 14:05/);
});

test('"Copy & Open Browser" after an approval says it is already done', () => {
  assert.match(alreadyApprovedText(t, 'corp'), /"corp" was already approved.*nothing to copy or open/);
});

test('code-server\'s /proxy/PORT/ mapping of a local endpoint keeps the path and the query', () => {
  assert.equal(
    keepPathAndQuery('http://127.0.0.1:41234/device?user_code=ABCD-EFGH', 'https://ide.example.com/proxy/41234/'),
    'https://ide.example.com/proxy/41234/device?user_code=ABCD-EFGH',
  );
  assert.equal(
    keepPathAndQuery('http://localhost:41234/a/device?user_code=X%2BY#f', 'http://localhost:8080/base/proxy/41234'),
    'http://localhost:8080/base/proxy/41234/a/device?user_code=X%2BY#f',
  );
});

test('a mapping that kept path and query, or none at all, is used as it is', () => {
  const url = 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH';
  assert.equal(keepPathAndQuery(url, url), url);
  assert.equal(
    keepPathAndQuery('http://localhost:41234/device?user_code=A', 'http://localhost:5123/device?user_code=A'),
    'http://localhost:5123/device?user_code=A',
  );
  assert.equal(keepPathAndQuery('https://x.example/?user_code=A%2BB', 'https://x.example/?user_code=A+B'), 'https://x.example/?user_code=A%2BB');
  assert.equal(keepPathAndQuery('not a url', 'also not'), 'also not');
});
