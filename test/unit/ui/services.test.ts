// The editor's services: one portal (and so one learned rate) per portal endpoint and start URL.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SsoAuth } from '../../../src/core/auth/session';
import { Portal } from '../../../src/core/portal/portal';
import { Services } from '../../../src/ui/services';
import { tempHome } from '../../helpers/tempHome';

test('two Identity Center instances in one region get two portals and two limiters; the same one, one', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const services = new Services(() => undefined, undefined, () => ({ SsoAuth, Portal }), home.env);
  t.after(() => services.dispose());
  const a = { region: 'eu-west-1', startUrl: 'https://d-1111111111.awsapps.com/start' };
  const b = { region: 'eu-west-1', startUrl: 'https://d-2222222222.awsapps.com/start' };
  const pa = services.portal(a);
  const pb = services.portal(b);
  assert.notEqual(pa, pb, 'one portal per start URL');
  assert.notEqual(pa.rateLimiter, pb.rateLimiter, 'one learned rate per start URL');
  assert.equal(services.portal({ ...a }), pa, 'the same session twice: one portal');
  assert.equal(services.portal({ ...a, startUrl: ` ${a.startUrl} ` }), pa, 'start URLs compare after trimming');
});

test('one start URL behind two endpoints (AWS_ENDPOINT_URL_SSO moved) gets two portals', async (t) => {
  const home = await tempHome();
  t.after(() => home.cleanup());
  const env: NodeJS.ProcessEnv = { ...home.env };
  const services = new Services(() => undefined, undefined, () => ({ SsoAuth, Portal }), env);
  t.after(() => services.dispose());
  const s = { region: 'us-east-1', startUrl: 'https://d-1111111111.awsapps.com/start' };
  const real = services.portal(s);
  env.AWS_ENDPOINT_URL_SSO = 'http://127.0.0.1:9/';
  assert.notEqual(services.portal(s), real);
  assert.equal(services.portal(s), services.portal(s));
});
