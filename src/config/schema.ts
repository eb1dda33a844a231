/**
 * The JSON Schema (draft 2020-12) of a crs-cds configuration file. Every key carries its rule id
 * (crs-rules.md), unit, range and default; defaults are read from DEFAULT_CONFIG so the two cannot drift.
 * Ranges here are sanity bounds against typos (380 for 38.0), not clinical advice. Checks JSON Schema
 * cannot express (min < max, exactly one of jwksUrl/jwks, URL patterns, codes) live in semantic-checks.ts.
 */
import { codeListsSchema } from './code-list-schema.js';
import { DEFAULT_CONFIG } from './defaults.js';
import { bool, list, num, section, str, type SchemaNode } from './schema-builders.js';
import type { DisplayScale, PediatricSbpBelow, Range, SteroidRegimen } from './types.js';

/** The CDS service ids a site may switch on or off (contract.md). */
export const SERVICE_IDS = ['crs-patient-view', 'crs-order-select', 'crs-order-sign'] as const;

/** The scales of crs-rules.md section 7 a site may list in `grading.displayScales`. */
export const DISPLAY_SCALES = ['CTCAE-5', 'Lee-2014', 'CARTOX', 'Penn', 'MSKCC'] as const satisfies readonly DisplayScale[];

const D = DEFAULT_CONFIG;

function plausible(label: string, unit: string, range: Range): SchemaNode {
  return section(`${label}, ${unit}; min must be below max`, {
    min: num({ rule: 'E6', text: `lowest plausible ${label}`, unit, value: range.min, min: 0 }),
    max: num({ rule: 'E6', text: `highest plausible ${label}`, unit, value: range.max, min: 0 }),
  }, 'E6');
}

function regimen(rule: string, label: string, value: SteroidRegimen): SchemaNode {
  return section(`${label}; merged key by key with the default regimen`, {
    concept: str({ rule, text: 'the corticosteroid, a key of codeLists.corticosteroids', value: value.concept }),
    rxnorm: str({ rule: 'contract', text: 'RxNorm ingredient RxCUI on the draft MedicationRequest', value: value.rxnorm, pattern: '^[0-9]+$', hint: 'must be an RxCUI (digits only)' }),
    doseMg: num({ rule, text: 'dose', unit: 'mg', value: value.doseMg, above: 0, max: 5000 }),
    route: { type: 'string', enum: ['IV'], default: value.route, description: `${rule} route, default "${value.route}".`, 'x-rule': rule },
    everyHours: num({ rule, text: 'dosing interval', unit: 'h', value: value.everyHours, above: 0, max: 168 }),
    durationDays: num({ rule, text: 'limited course (absent: until reviewed)', unit: 'days', value: value.durationDays, above: 0, max: 30 }),
    doses: num({ rule, text: 'a fixed number of doses, 1 = once (absent: every everyHours until reviewed or for durationDays)', unit: 'doses', value: value.doses, integer: true, min: 1, max: 30 }),
  }, rule);
}

function pediatricSbp(value: PediatricSbpBelow): SchemaNode {
  const rule = 'H1-P';
  return section('age-based SBP thresholds for children (PALS, Mahadeo 2019), used with pediatricHypotension', {
    underOneMonth: num({ rule, text: 'SBP threshold under one month of age', unit: 'mmHg', value: value.underOneMonth, min: 30, max: 150 }),
    underOneYear: num({ rule, text: 'SBP threshold from one month to under one year', unit: 'mmHg', value: value.underOneYear, min: 30, max: 150 }),
    base: num({ rule, text: 'from one year: SBP threshold base + perYear × age in whole years', unit: 'mmHg', value: value.base, min: 30, max: 150 }),
    perYear: num({ rule, text: 'mmHg added per whole year of age', unit: 'mmHg/year', value: value.perYear, min: 0, max: 20 }),
    untilYears: num({ rule, text: 'from this age on, sbpBelow applies', unit: 'years', value: value.untilYears, integer: true, min: 1, max: 18 }),
  }, rule);
}

function steroidEquivalents(value: Readonly<Record<string, number>>): SchemaNode {
  const rule = 'T-S';
  const properties = Object.fromEntries(
    Object.entries(value).map(([concept, mg]) => [
      concept,
      num({ rule, text: `${concept} equivalent to dexamethasone 0.75 mg`, unit: 'mg', value: mg, above: 0, max: 1000 }),
    ]),
  );
  return {
    type: 'object',
    default: value,
    'x-unit': 'mg',
    description: `${rule} corticosteroid exposure in dexamethasone equivalents: mg of each corticosteroid (a key of codeLists.corticosteroids) equal to dexamethasone 0.75 mg; merged key by key; a corticosteroid without an entry counts as an unknown dose (no second corticosteroid is suggested).`,
    'x-rule': rule,
    properties,
    additionalProperties: num({ rule, text: 'a site corticosteroid equivalent to dexamethasone 0.75 mg', unit: 'mg', above: 0, max: 1000 }),
  };
}

const grading = D.grading;
const toci = D.treatment.tocilizumab;
const treatment = D.treatment;

/** The schema of the whole file. Ajv compiles it in validate.ts; the docs generator walks it. */
export const CONFIG_SCHEMA: SchemaNode = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://crs-cds.example.org/schema/config.json',
  title: 'crs-cds site configuration',
  description: 'Every key is optional: absent keys take the defaults of crs-rules.md. Sections merge with the defaults key by key.',
  type: 'object',
  additionalProperties: false,
  properties: {
    grading: section('ASTCT 2019 grading thresholds and windows (crs-rules.md sections 1–3)', {
      feverCelsius: num({ rule: 'F1', text: 'fever: any temperature at or above this in the window', unit: '°C', value: grading.feverCelsius, min: 37, max: 40, shown: grading.feverCelsius.toFixed(1) }),
      sbpBelow: num({ rule: 'H1', text: 'hypotension: any systolic pressure below this', unit: 'mmHg', value: grading.sbpBelow, min: 50, max: 150 }),
      mapBelow: num({ rule: 'H1', text: 'hypotension: any charted mean arterial pressure below this', unit: 'mmHg', value: grading.mapBelow, min: 30, max: 120 }),
      lowFlowMaxLpm: num({ rule: 'O1', text: 'nasal cannula or flow at or below this is low-flow, above it high-flow', unit: 'L/min', value: grading.lowFlowMaxLpm, above: 0, max: 15 }),
      spo2Below: num({ rule: 'O1', text: 'SpO2 below this without oxygen support is shown as a finding, never graded', unit: '%', value: grading.spo2Below, min: 0, max: 100 }),
      lookbackHours: num({ rule: '§2', text: 'lookback window of the current grade', unit: 'h', value: grading.lookbackHours, above: 0, max: 168 }),
      monitoringWindowDays: num({ rule: 'S1', text: 'a CRS-associated therapy within this many days makes the patient monitored', unit: 'days', value: grading.monitoringWindowDays, above: 0, max: 365 }),
      pointAdministrationActiveMinutes: num({ rule: 'E3', text: 'a point administration (effectiveDateTime only) is active this long', unit: 'min', value: grading.pointAdministrationActiveMinutes, above: 0, max: 1440 }),
      countInotropes: bool({ rule: 'H2', text: 'count inotropes (codeLists.inotropes) as vasopressors', value: grading.countInotropes }),
      weightMaxAgeDays: num({ rule: 'T-D', text: 'the latest body weight is usable for this long', unit: 'days', value: grading.weightMaxAgeDays, above: 0, max: 365 }),
      doseRoundingMg: num({ rule: 'T-D', text: 'computed doses are rounded down to a multiple of this', unit: 'mg', value: grading.doseRoundingMg, above: 0, max: 100 }),
      showGradeZero: bool({ rule: '§4 grade 0', text: 'show an info card for grade 0', value: grading.showGradeZero }),
      matchNames: bool({ rule: '§6', text: 'also match medications by whole-word name on coding.display and text', value: grading.matchNames }),
      displayScales: {
        ...list({ rule: '§7', text: 'other scales to show beside ASTCT 2019 (placeholder: accepted, not rendered yet)', value: grading.displayScales ?? [], items: { type: 'string', enum: [...DISPLAY_SCALES] } }),
        uniqueItems: true,
      },
      plausible: section('plausible value ranges, inclusive; values outside are ignored and reported', {
        temperatureCelsius: plausible('temperature', '°C', grading.plausible.temperatureCelsius),
        pressureMmHg: plausible('blood pressure (SBP, MAP)', 'mmHg', grading.plausible.pressureMmHg),
        o2FlowLpm: plausible('oxygen flow', 'L/min', grading.plausible.o2FlowLpm),
        weightKg: plausible('body weight', 'kg', grading.plausible.weightKg),
        spo2Percent: plausible('SpO2', '%', grading.plausible.spo2Percent),
        fio2Percent: plausible('FiO2 (a fraction 0.21–1.0 is read as percent)', '%', grading.plausible.fio2Percent),
      }, 'E6'),
      rateRecordActiveHours: num({ rule: 'E3-R', text: 'a point administration carrying a rate > 0 is active until the next record of the same ingredient, a rate-0 or stopped record, or this long', unit: 'h', value: grading.rateRecordActiveHours, above: 0, max: 72 }),
      fio2LowFlowAbovePercent: num({ rule: 'O1', text: 'a charted FiO2 above this documents supplemental oxygen (at least low-flow); below fio2HighFlowFromPercent', unit: '%', value: grading.fio2LowFlowAbovePercent, min: 21, max: 44 }),
      fio2HighFlowFromPercent: num({ rule: 'O1', text: 'a charted FiO2 at or above this counts as high-flow', unit: '%', value: grading.fio2HighFlowFromPercent, min: 22, max: 100 }),
      resolutionHours: num({ rule: 'F2', text: 'fever masking ends after a full window this long after the masking agent with no hypotension, vasopressor or oxygen support and a blood pressure charted', unit: 'h', value: grading.resolutionHours, above: 0, max: 168 }),
      maskingMaxHours: num({ rule: 'F2', text: 'fever masking ends this long after the last administration of any masking agent', unit: 'h', value: grading.maskingMaxHours, above: 0, max: 720 }),
      pediatricHypotension: bool({ rule: 'H1-P', text: 'use the age-based SBP threshold (pediatricSbpBelow) from Patient.birthDate for children; false = sbpBelow for all ages', value: grading.pediatricHypotension }),
      pediatricSbpBelow: pediatricSbp(grading.pediatricSbpBelow),
    }),
    treatment: section('doses and limits of crs-rules.md section 4', {
      tocilizumab: section('tocilizumab dosing (T-D) and limits (T-L)', {
        concept: str({ rule: 'T-L', text: 'tocilizumab, a key of codeLists.antiCytokines', value: toci.concept }),
        rxnorm: str({ rule: 'contract', text: 'RxNorm ingredient RxCUI on the draft MedicationRequest', value: toci.rxnorm, pattern: '^[0-9]+$', hint: 'must be an RxCUI (digits only)' }),
        mgPerKg: num({ rule: 'T-D', text: 'dose per kg at or above lowWeightBelowKg', unit: 'mg/kg', value: toci.mgPerKg, above: 0, max: 20 }),
        mgPerKgLowWeight: num({ rule: 'T-D', text: 'dose per kg below lowWeightBelowKg', unit: 'mg/kg', value: toci.mgPerKgLowWeight, above: 0, max: 20 }),
        lowWeightBelowKg: num({ rule: 'T-D', text: 'weights below this use mgPerKgLowWeight', unit: 'kg', value: toci.lowWeightBelowKg, above: 0, max: 200 }),
        maxDoseMg: num({ rule: 'T-D', text: 'never more than this per dose', unit: 'mg', value: toci.maxDoseMg, above: 0, max: 2000 }),
        infusionMinutes: num({ rule: 'T-D', text: 'infusion duration', unit: 'min', value: toci.infusionMinutes, above: 0, max: 1440 }),
        maxDosesPer24h: num({ rule: 'T-L', text: 'at most this many doses in any 24 h', unit: 'doses', value: toci.maxDosesPer24h, integer: true, min: 1, max: 10 }),
        maxDosesPerEpisode: num({ rule: 'T-L', text: 'at most this many doses in the episode', unit: 'doses', value: toci.maxDosesPerEpisode, integer: true, min: 1, max: 20 }),
        minHoursBetweenDoses: num({ rule: 'T-L', text: 'a repeat dose no sooner than this after the previous one', unit: 'h', value: toci.minHoursBetweenDoses, above: 0, max: 72 }),
        doseTolerancePercent: num({ rule: 'OS1', text: 'a selected dose above the weight-based dose by more than this is flagged', unit: '%', value: toci.doseTolerancePercent, min: 0, max: 100 }),
      }),
      persistentFeverHours: num({ rule: 'T1', text: 'at grade 1, consider tocilizumab when the first fever of the episode is older than this', unit: 'h', value: treatment.persistentFeverHours, above: 0, max: 720 }),
      refractoryAfterTocilizumabDoses: num({ rule: 'T2', text: 'grade 2 is refractory after this many tocilizumab doses in the episode', unit: 'doses', value: treatment.refractoryAfterTocilizumabDoses, integer: true, min: 1, max: 10 }),
      steroidRepeatWindowHours: num({ rule: 'T-S', text: 'systemic corticosteroid exposure is summed over this window before the evaluation time', unit: 'h', value: treatment.steroidRepeatWindowHours, above: 0, max: 168 }),
      steroidEquivalentMg: steroidEquivalents(treatment.steroidEquivalentMg),
      earlySteroidProducts: list({ rule: 'T-P', text: 'CRS-associated therapies (keys of codeLists.crsTherapies, e.g. "axicabtagene-ciloleucel") after which grade 2 also suggests steroids.grade2Early', value: treatment.earlySteroidProducts, items: { type: 'string', minLength: 1 } }),
      conditionOnlySuggestions: bool({ rule: 'S2-T', text: 'also give the section 4 tocilizumab and corticosteroid suggestions to patients monitored by a CRS diagnosis alone (no listed therapy in the window)', value: treatment.conditionOnlySuggestions }),
      steroids: section('corticosteroid regimens suggested by grade', {
        grade2Refractory: regimen('T2', 'refractory grade 2 (dexamethasone 10 mg IV q12h)', treatment.steroids.grade2Refractory),
        grade2Early: regimen('T-P', 'grade 2 after a product of earlySteroidProducts (dexamethasone 10 mg IV once)', treatment.steroids.grade2Early),
        grade3: regimen('§4 grade 3', 'grade 3 (dexamethasone 10 mg IV q6h)', treatment.steroids.grade3),
        grade4: regimen('§4 grade 4', 'grade 4 (methylprednisolone 1000 mg IV daily for 3 days)', treatment.steroids.grade4),
      }),
    }),
    codeLists: codeListsSchema(),
    fhir: section('outbound FHIR access (contract)', {
      allowedServers: list({
        rule: 'contract',
        text: 'base URLs the service may call: same scheme and host, port or "*" for any port, and the entry path a prefix of the server path (e.g. "https://fhir.example.org/r4", "http://localhost:*")',
        value: D.fhir.allowedServers,
        items: { type: 'string', minLength: 1 },
      }),
      timeoutMs: num({ rule: 'contract', text: 'budget for all FHIR fetches of one hook call', unit: 'ms', value: D.fhir.timeoutMs, integer: true, min: 100, max: 30000 }),
      maxResponseBytes: num({ text: 'most bytes read from one FHIR response (a page of a search, a read); the read is aborted beyond it and that prefetch key cannot be obtained (412)', unit: 'bytes', value: D.fhir.maxResponseBytes, integer: true, min: 65536, max: 1073741824 }),
    }),
    auth: section('EHR authentication (contract); no trustedIssuers = authentication off, with a start-up warning', {
      audience: str({ rule: 'contract', text: "this service's public base URL, the expected JWT aud (e.g. https://cds.example.org/cds-services); required when trustedIssuers is set" }),
      trustedIssuers: list({
        rule: 'contract',
        text: 'EHRs whose JWTs are accepted: each needs iss and exactly one of jwksUrl (https, or http on loopback) or jwks ({ keys: [...] }); optional tenants (accepted tenant claims) and jkuAllowlist (https JWK Set URLs a jku header may name)',
        value: D.auth.trustedIssuers,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['iss'],
          properties: {
            iss: { type: 'string', minLength: 1, description: 'The issuer (iss claim), a URL.' },
            jwksUrl: { type: 'string', minLength: 1, description: 'Where the issuer publishes its JWK Set.' },
            jwks: {
              type: 'object',
              description: 'An inline JWK Set (public keys).',
              required: ['keys'],
              additionalProperties: false,
              properties: { keys: { type: 'array', minItems: 1, items: { type: 'object' }, description: 'The public JWKs.' } },
            },
            tenants: { type: 'array', items: { type: 'string', minLength: 1 }, description: '`tenant` claim values accepted from this issuer; absent or empty = any.' },
            jkuAllowlist: { type: 'array', items: { type: 'string', minLength: 1 }, description: 'JWK Set URLs (https) a token `jku` header may name; any other jku is refused.' },
          },
        },
      }),
      algorithms: {
        type: 'array',
        minItems: 1,
        uniqueItems: true,
        items: { type: 'string', enum: ['ES384', 'RS384', 'ES256', 'RS256'] },
        description: 'contract accepted JWS algorithms (none and HMAC never), replaces the default list, absent = ["ES384","RS384"] (CDS Hooks 2.0).',
        'x-rule': 'contract',
      },
      rateLimitPerMinute: num({ text: 'hook and feedback calls per verified issuer per minute (absent: no per-issuer limit)', unit: 'calls/min', integer: true, min: 1, max: 1000000 }),
      requireOnDiscovery: bool({
        rule: 'contract',
        text: 'also require a trusted JWT on discovery (GET /cds-services); only applies when trustedIssuers is set',
        value: D.auth.requireOnDiscovery ?? false,
      }),
    }),
    http: section('HTTP surface', {
      bodyLimitBytes: num({ text: 'largest accepted request body (413 above)', unit: 'bytes', value: D.http.bodyLimitBytes, integer: true, min: 1024, max: 104857600 }),
      corsOrigins: list({ text: 'origins allowed by CORS, "*" for any (e.g. "https://ehr.example.org")', value: D.http.corsOrigins, items: { type: 'string', minLength: 1 } }),
      maxConcurrentPerService: num({ text: 'hook calls per service admitted at once, each from before its body is read until it is answered', unit: 'calls', value: D.http.maxConcurrentPerService, integer: true, min: 1, max: 10000 }),
      maxConcurrentBytesPerService: num({ text: 'declared body bytes (Content-Length; a body without one counts as bodyLimitBytes) of the hook calls per service admitted at once: a call costs CPU in proportion to its size, so large calls are admitted fewer at a time (a call alone always is)', unit: 'bytes', value: D.http.maxConcurrentBytesPerService, integer: true, min: 65536, max: 1073741824 }),
      maxQueuedPerService: num({ text: 'hook calls per service waiting for a slot, first come first served; more are answered 503 with Retry-After at once (0: no queue)', unit: 'calls', value: D.http.maxQueuedPerService, integer: true, min: 0, max: 100000 }),
      maxQueueWaitMs: num({ text: 'longest wait for a slot; a call that waited longer is answered 503 with Retry-After', unit: 'ms', value: D.http.maxQueueWaitMs, integer: true, min: 1, max: 60000 }),
      maxConnectionsPerAddress: num({ text: 'open connections per client address; more are answered 503 and closed (behind a proxy every connection is the proxy\'s: set at least its upstream pool)', unit: 'connections', value: D.http.maxConnectionsPerAddress, integer: true, min: 1, max: 100000 }),
      headersTimeoutMs: num({ text: 'time a client has to send the request headers (enforced to within 1 s); at most requestTimeoutMs', unit: 'ms', value: D.http.headersTimeoutMs, integer: true, min: 1000, max: 30000 }),
      requestTimeoutMs: num({ text: 'time a client has to send the whole request (enforced to within 1 s)', unit: 'ms', value: D.http.requestTimeoutMs, integer: true, min: 1000, max: 300000 }),
      drainTimeoutMs: num({ text: 'on SIGTERM, new connections are refused and in-flight calls get this long to finish before connections are cut (keep it below the orchestrator\'s grace period)', unit: 'ms', value: D.http.drainTimeoutMs, integer: true, min: 0, max: 300000 }),
    }),
    services: section('which CDS services discovery lists and answers', {
      enabled: section(
        'per service id; merged key by key with the defaults',
        Object.fromEntries(SERVICE_IDS.map((id) => [id, bool({ rule: 'contract', text: `serve ${id}`, value: D.services.enabled[id] ?? true })])),
      ),
    }),
    cards: section('card wording', {
      directory: str({ text: 'directory of *.json card templates replacing built-ins of the same id; relative to the configuration file' }),
      overrideReasonSystem: str({
        text: 'code system (an absolute URI) of the override reasons on cards whose template gives none; feedback reports it back with the reason code',
        value: D.cards.overrideReasonSystem,
        pattern: '^[A-Za-z][A-Za-z0-9+.-]*:[^\\s]+$',
        hint: 'must be an absolute URI, e.g. "urn:uuid:…" or "https://hospital.example.org/cds/override-reason"',
      }),
    }),
    storage: section('where feedback and the audit trail are kept; with postgres, also the JWT replay cache and per-issuer rate limits shared by every replica', {
      kind: {
        type: 'string',
        enum: ['sqlite', 'postgres'],
        default: D.storage.kind,
        description: `contract "sqlite" (an embedded file, one process) or "postgres" (shared by every replica; migrations are applied at start-up), default "${D.storage.kind}".`,
        'x-rule': 'contract',
      },
      sqlitePath: str({ text: 'SQLite file (kind sqlite), relative to the working directory; ":memory:" keeps nothing across restarts', value: D.storage.sqlitePath }),
      url: str({ rule: 'contract', text: 'PostgreSQL connection URL (kind postgres), e.g. "postgres://crs_cds@db.example.org:5432/crs_cds?sslmode=verify-full"; absent: the DATABASE_URL environment variable. Keep the password out of this file (DATABASE_URL or PGPASSWORD from a secret)' }),
      retentionDays: num({ text: 'audit records and feedback older than this are purged (checked hourly)', unit: 'days', value: D.storage.retentionDays, integer: true, min: 1, max: 36500 }),
      pool: section('the PostgreSQL connection pool of one replica (kind postgres)', {
        maxConnections: num({ text: 'most connections one replica holds open (replicas × this must stay below the server\'s max_connections)', unit: 'connections', value: D.storage.pool.maxConnections, integer: true, min: 1, max: 100 }),
        connectionTimeoutMs: num({ text: 'longest wait for a connection; then the call answers 503 and /readyz fails', unit: 'ms', value: D.storage.pool.connectionTimeoutMs, integer: true, min: 100, max: 60000 }),
        statementTimeoutMs: num({ text: 'longest a statement may run (statement_timeout)', unit: 'ms', value: D.storage.pool.statementTimeoutMs, integer: true, min: 100, max: 600000 }),
        idleTimeoutMs: num({ text: 'an idle connection is closed after this long', unit: 'ms', value: D.storage.pool.idleTimeoutMs, integer: true, min: 1000, max: 3600000 }),
      }),
    }),
    app: section('the CRS timeline, a SMART on FHIR app served under /app/ (contract)', {
      launchUrl: str({ rule: 'contract', text: 'absolute URL of the app\'s EHR launch put on patient-view cards, e.g. https://cds.example.org/app/launch; absent: derived from auth.audience (its /cds-services replaced by /app/launch), else from the protocol and Host the EHR called (a plain host only)' }),
      cardLink: bool({ rule: 'contract', text: 'patient-view cards of monitored patients carry an "Open CRS timeline" smart link', value: D.app.cardLink }),
      clientId: str({ text: 'OAuth 2.0 client id the EHR registered for the app', value: D.app.clientId }),
      authorizationServers: list({ text: 'origins of EHR authorization servers whose token endpoint the app calls (added to the app\'s CSP connect-src beside fhir.allowedServers), e.g. "https://auth.ehr.example.org"', value: D.app.authorizationServers, items: { type: 'string', minLength: 1 } }),
      frameAncestors: list({ text: 'origins allowed to show the app in a frame (the app\'s CSP frame-ancestors); empty: this origin only', value: D.app.frameAncestors, items: { type: 'string', minLength: 1 } }),
    }),
  },
};
