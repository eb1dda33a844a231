/**
 * The "Open CRS timeline" smart link (contract: `app.launchUrl`, `/app/launch`): on every patient-view
 * card of a monitored patient, never on order-select or order-sign cards, with an absolute URL from
 * configuration, else from the origin the EHR called (on by default, issue 12).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bundle, Resource } from 'fhir/r4.js';
import { describe, expect, test } from 'vitest';
import { servicesFor } from '../../hooks/index.js';
import { timelineLaunchUrl } from '../../src/config/app-launch-url.js';
import { DEFAULT_CONFIG } from '../../src/config/defaults.js';
import { parseConfig } from '../../src/config/load-config.js';
import type { Config } from '../../src/config/types.js';
import { configWarnings } from '../../src/config/warnings.js';
import { buildRuntime } from '../../src/engine/build-runtime.js';
import { assertValidResponse } from '../support/card-invariants.js';

const AT = new Date('2026-11-21T10:00:00Z');
const bundle = JSON.parse(readFileSync(fileURLToPath(new URL('../fixtures/cli/grade-2-bundle.json', import.meta.url)), 'utf8')) as Bundle;
const resources = (bundle.entry ?? []).map((e) => e.resource as Resource);
const patientId = resources.find((r) => r.resourceType === 'Patient')?.id as string;
const AUDIENCE = 'https://cds.example.org/cds-services';

/** `audience: null` = no auth.audience. */
const withApp = (app: Partial<Config['app']>, audience: string | null = AUDIENCE): Config => ({
  ...DEFAULT_CONFIG,
  app: { ...DEFAULT_CONFIG.app, ...app },
  auth: audience === null ? { trustedIssuers: [] } : { trustedIssuers: [], audience },
});

const ORIGIN = 'http://127.0.0.1:3000';

function evaluate(config: Config, hook: 'patient-view' | 'order-select' | 'order-sign', data: readonly Resource[] = resources, origin?: string) {
  const runtime = buildRuntime(config);
  const service = servicesFor(config).find((s) => s.hook === hook);
  if (service === undefined) throw new Error(hook);
  const context = hook === 'patient-view' ? { patientId } : { patientId, selections: [], draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [] } };
  const response = runtime.evaluate({ service, context, resources: data, evaluatedAt: AT, ...(origin === undefined ? {} : { origin }) });
  assertValidResponse(response);
  return response;
}

describe('the launch URL', () => {
  test.each([
    ['https://cds.example.org/cds-services', 'https://cds.example.org/app/launch'],
    ['https://cds.example.org/cds-services/', 'https://cds.example.org/app/launch'],
    ['https://host.example.org/crs/cds-services', 'https://host.example.org/crs/app/launch'],
    ['https://host.example.org:8443/', 'https://host.example.org:8443/app/launch'],
  ])('is derived from auth.audience %s as %s', (audience, url) => {
    expect(timelineLaunchUrl(withApp({}, audience))).toBe(url);
  });

  test('app.launchUrl wins over the audience, and both over the origin called', () => {
    expect(timelineLaunchUrl(withApp({ launchUrl: 'https://apps.example.org/crs/launch' }), ORIGIN)).toBe('https://apps.example.org/crs/launch');
    expect(timelineLaunchUrl(withApp({}), ORIGIN)).toBe('https://cds.example.org/app/launch');
  });

  test('without app.launchUrl and auth.audience it is derived from the origin the EHR called, and check-config says so', () => {
    const config = withApp({}, null);
    expect(timelineLaunchUrl(config, ORIGIN)).toBe('http://127.0.0.1:3000/app/launch');
    expect(timelineLaunchUrl(config, 'https://[::1]:8443')).toBe('https://[::1]:8443/app/launch');
    expect(timelineLaunchUrl(config)).toBeUndefined();
    const warning = configWarnings(config).find((w) => w.startsWith('app.launchUrl:'));
    expect(warning).toMatch(/derived from the protocol and Host each EHR calls/);
    expect(warning).not.toMatch(/carry no/);
    expect(configWarnings(withApp({})).some((w) => w.startsWith('app.launchUrl:'))).toBe(false);
  });

  test('must be an absolute http(s) URL in the configuration file', () => {
    expect(() => parseConfig({ app: { launchUrl: '/app/launch' } })).toThrow(/app\.launchUrl/);
    expect(() => parseConfig({ app: { authorizationServers: ['https://auth.example.org/oauth'] } })).toThrow(/app\.authorizationServers\[0\]/);
    expect(parseConfig({ app: { launchUrl: 'https://cds.example.org/app/launch' } }).app.launchUrl).toBe('https://cds.example.org/app/launch');
  });
});

describe('patient-view cards', () => {
  test('a monitored patient\'s card carries the smart link, labelled from cards/, without appContext', () => {
    const response = evaluate(withApp({}), 'patient-view');
    expect(response.cards).toHaveLength(1);
    expect(response.cards[0]?.links?.at(-1)).toEqual({ label: 'Open CRS timeline', url: 'https://cds.example.org/app/launch', type: 'smart' });
  });

  test('an indeterminate card (G-I) carries it too', () => {
    const noTemperature = resources.filter((r) => !(r.resourceType === 'Observation' && JSON.stringify(r).includes('8310-5')));
    const response = evaluate(withApp({}), 'patient-view', noTemperature);
    expect((response.extension?.['crs-cds.assessment'] as { indeterminate?: boolean; grade?: unknown }).grade ?? null).toBeNull();
    expect(response.cards[0]?.links?.filter((l) => l.type === 'smart')).toHaveLength(1);
  });

  test('with the default configuration the link points at the origin the EHR called (on by default)', () => {
    const response = evaluate(DEFAULT_CONFIG, 'patient-view', resources, ORIGIN);
    expect(response.cards[0]?.links?.at(-1)).toEqual({ label: 'Open CRS timeline', url: 'http://127.0.0.1:3000/app/launch', type: 'smart' });
  });

  test('no link when app.cardLink is false, or when no launch URL is known (no configuration, no origin: the CLI)', () => {
    for (const [config, origin] of [[withApp({ cardLink: false }), ORIGIN], [withApp({ cardLink: false }, null), ORIGIN], [withApp({}, null), undefined]] as const) {
      const links = evaluate(config, 'patient-view', resources, origin).cards[0]?.links ?? [];
      expect(links.some((l) => l.type === 'smart')).toBe(false);
    }
  });

  test.each(['order-select', 'order-sign'] as const)('%s cards carry no timeline link', (hook) => {
    const response = evaluate(withApp({}, null), hook, resources, ORIGIN);
    for (const card of response.cards) expect((card.links ?? []).some((l) => l.type === 'smart')).toBe(false);
  });
});
