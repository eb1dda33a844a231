/**
 * The effective configuration of crs-cds: the defaults of `shared/clinical/crs-rules.md` merged with a
 * site's file. Section and key names under `grading`, `fhir` and `auth` are part of the public contract
 * (`shared/contract.md`); the other sections are ours. Every clinical number lives here, never in code.
 */

/** A code with its system, e.g. `{ system: RXNORM, code: '7512' }`. */
export interface CodeRef {
  readonly system: string;
  readonly code: string;
}

/**
 * One concept of a code list (an ingredient, a device tier, a diagnosis group): matched by code with
 * its system (E7), or by whole-word, case-insensitive name against `coding.display` and `text`.
 */
export interface Concept {
  readonly codes: readonly CodeRef[];
  readonly names: readonly string[];
}

/** Concepts keyed by a stable id (`norepinephrine`, `tocilizumab`, ...). */
export type ConceptMap = Readonly<Record<string, Concept>>;

/** The code lists of crs-rules.md section 6, each extendable by a site. */
export interface CodeLists {
  /** 6.1 Oxygen devices by tier (O1); names are the device-text synonyms. */
  readonly oxygenDevices: {
    readonly lowFlow: Concept;
    readonly highFlow: Concept;
    readonly positivePressure: Concept;
    /** Room air adds nothing (O1); recognised so it is not reported as an unknown device. */
    readonly roomAir: Concept;
  };
  /** 6.2 Vasopressors by ingredient (H2). The key `vasopressin` never counts toward "multiple". */
  readonly vasopressors: ConceptMap;
  /** 6.2 Inotropes (dobutamine, milrinone): counted only when `grading.countInotropes`. */
  readonly inotropes: ConceptMap;
  /** 6.3 Anti-cytokine agents (tocilizumab, siltuximab, anakinra): F2 masking; tocilizumab for T-L. */
  readonly antiCytokines: ConceptMap;
  /** 6.3 Systemic corticosteroids: F2 masking, T-S, OS3. */
  readonly corticosteroids: ConceptMap;
  /** 6.3 Antipyretics: F2 masking. */
  readonly antipyretics: ConceptMap;
  /** 6.4 CRS-associated therapies (S1): CAR-T products and T-cell engagers, always matched by name too. */
  readonly crsTherapies: {
    readonly carT: ConceptMap;
    readonly tCellEngagers: ConceptMap;
  };
  /** 6.6 / S2 CRS diagnosis codes (ICD-10-CM D89.83x). */
  readonly crsConditions: Concept;
  /** F2 "systemic": routes (`dosage.route`, SNOMED CT; names on its display and text) that are not systemic. */
  readonly nonSystemicRoutes: Concept;
  /** F2 "systemic": medication forms named in the medication's text (cream, inhaler, ...) that are not systemic. */
  readonly nonSystemicForms: Concept;
  /** 6.5 Observation codes (LOINC) the evidence extraction reads. */
  readonly observations: {
    readonly bodyTemperature: readonly CodeRef[];
    readonly systolicBp: readonly CodeRef[];
    readonly bpPanel: readonly CodeRef[];
    readonly meanArterialPressure: readonly CodeRef[];
    readonly spo2: readonly CodeRef[];
    readonly o2FlowRate: readonly CodeRef[];
    readonly fio2: readonly CodeRef[];
    readonly o2DeliveryMethod: readonly CodeRef[];
    readonly bodyWeight: readonly CodeRef[];
    /** 6.5 Not graded; context for cards and optional scales (section 7). */
    readonly heartRate?: readonly CodeRef[];
    readonly respiratoryRate?: readonly CodeRef[];
    /** 6.5 Laboratory context (m-EASIX, section 7): CRP, ferritin, IL-6, LDH, platelets, creatinine. */
    readonly crp?: readonly CodeRef[];
    readonly ferritin?: readonly CodeRef[];
    readonly il6?: readonly CodeRef[];
    readonly ldh?: readonly CodeRef[];
    readonly platelets?: readonly CodeRef[];
    readonly creatinine?: readonly CodeRef[];
  };
}

/** Section 7: other scales a site may show beside ASTCT 2019 (placeholder: not rendered yet). */
export type DisplayScale = 'CTCAE-5' | 'Lee-2014' | 'CARTOX' | 'Penn' | 'MSKCC';

/** Inclusive plausibility bounds (E6). */
export interface Range {
  readonly min: number;
  readonly max: number;
}

/** `grading`: the names used in crs-rules.md sections 1–3 (contract). */
export interface GradingConfig {
  /** F1: fever at or above this temperature, °C. */
  readonly feverCelsius: number;
  /** H1: hypotension when a systolic pressure is below this, mmHg. */
  readonly sbpBelow: number;
  /** H1: hypotension when a charted MAP is below this, mmHg. */
  readonly mapBelow: number;
  /** O1: nasal cannula / flow at or below this is low-flow, L/min. */
  readonly lowFlowMaxLpm: number;
  /** O1: SpO2 below this (%) without oxygen support is shown as a finding, not graded. */
  readonly spo2Below: number;
  /** Section 2: the lookback window of the current grade, hours. */
  readonly lookbackHours: number;
  /** S1: a CRS-associated therapy within this many days makes the patient monitored. */
  readonly monitoringWindowDays: number;
  /** E3: a point administration (effectiveDateTime) is active this many minutes. */
  readonly pointAdministrationActiveMinutes: number;
  /** H2: whether inotropes count as vasopressors. */
  readonly countInotropes: boolean;
  /** T-D: the latest body weight is usable for this many days. */
  readonly weightMaxAgeDays: number;
  /** T-D: round doses down to a multiple of this, mg. */
  readonly doseRoundingMg: number;
  /** Grade table: show an `info` card for grade 0. */
  readonly showGradeZero: boolean;
  /** Section 6: also match medications by name on `coding.display` and `text`. */
  readonly matchNames: boolean;
  /** Section 7: scales to show beside ASTCT 2019. A placeholder: accepted and validated, not rendered yet. */
  readonly displayScales?: readonly DisplayScale[];
  /** E6: plausible value ranges; values outside are ignored and reported. */
  readonly plausible: {
    readonly temperatureCelsius: Range;
    readonly pressureMmHg: Range;
    readonly o2FlowLpm: Range;
    readonly weightKg: Range;
    readonly spo2Percent: Range;
    readonly fio2Percent: Range;
  };
  /** E3-R: a rate-bearing point record is active at most this many hours (unless superseded or stopped). */
  readonly rateRecordActiveHours: number;
  /** O1: a charted FiO2 above this (%) documents supplemental oxygen (at least low-flow). */
  readonly fio2LowFlowAbovePercent: number;
  /** O1: a charted FiO2 at or above this (%) counts as high-flow. */
  readonly fio2HighFlowFromPercent: number;
  /** F2: masking ends after a full window this long with both columns 0 and a blood pressure charted, hours. */
  readonly resolutionHours: number;
  /** F2: masking ends this long after the last masking agent, hours. */
  readonly maskingMaxHours: number;
  /** H1-P: age-based SBP threshold for children (from `Patient.birthDate`); false = `sbpBelow` for all ages. */
  readonly pediatricHypotension: boolean;
  /** H1-P: the age-based SBP thresholds (PALS), mmHg. */
  readonly pediatricSbpBelow: PediatricSbpBelow;
}

/** H1-P: SBP below which a child is hypotensive, by age at the evaluation time. */
export interface PediatricSbpBelow {
  /** Under one month, mmHg. */
  readonly underOneMonth: number;
  /** From one month to under one year, mmHg. */
  readonly underOneYear: number;
  /** From one year: `base` + `perYear` × age in whole years, mmHg. */
  readonly base: number;
  /** mmHg added per whole year of age. */
  readonly perYear: number;
  /** The age from which `sbpBelow` applies instead, years. */
  readonly untilYears: number;
}

/** A corticosteroid order the service can suggest (T2, grade 3, grade 4). */
export interface SteroidRegimen {
  /** Key into `codeLists.corticosteroids`. */
  readonly concept: string;
  /** RxNorm ingredient RxCUI used on the draft MedicationRequest (contract). */
  readonly rxnorm: string;
  readonly doseMg: number;
  readonly route: 'IV';
  /** Dosing interval, hours (q6h, q12h, q24h). */
  readonly everyHours: number;
  /** Limited course, in days (methylprednisolone 3 days); absent = until reviewed. */
  readonly durationDays?: number;
  /** A fixed number of doses (T-P: 1 = once); absent = every `everyHours` until reviewed or `durationDays`. */
  readonly doses?: number;
}

/** `treatment`: the doses and limits of crs-rules.md section 4 (T-D, T-L, T1, T2, T-S). */
export interface TreatmentConfig {
  readonly tocilizumab: {
    /** Key into `codeLists.antiCytokines`. */
    readonly concept: string;
    readonly rxnorm: string;
    /** T-D: mg/kg at or above `lowWeightBelowKg`. */
    readonly mgPerKg: number;
    /** T-D: mg/kg below `lowWeightBelowKg`. */
    readonly mgPerKgLowWeight: number;
    readonly lowWeightBelowKg: number;
    /** T-D: never more than this per dose, mg. */
    readonly maxDoseMg: number;
    readonly infusionMinutes: number;
    /** T-L */
    readonly maxDosesPer24h: number;
    readonly maxDosesPerEpisode: number;
    readonly minHoursBetweenDoses: number;
    /** OS1: a selected dose above the weight-based dose by more than this percentage is wrong. */
    readonly doseTolerancePercent: number;
  };
  /** T1: consider tocilizumab at grade 1 when the first fever of the episode is older than this, hours. */
  readonly persistentFeverHours: number;
  /** T2: refractory grade 2 after this many tocilizumab doses in the episode. */
  readonly refractoryAfterTocilizumabDoses: number;
  /** T-S: corticosteroid exposure is summed over this many hours before the evaluation time. */
  readonly steroidRepeatWindowHours: number;
  /** T-S: mg of each corticosteroid (key of `codeLists.corticosteroids`) equivalent to 0.75 mg dexamethasone. */
  readonly steroidEquivalentMg: Readonly<Record<string, number>>;
  readonly steroids: {
    /** T2 */
    readonly grade2Refractory: SteroidRegimen;
    /** T-P: grade 2 after a product of `earlySteroidProducts` (dexamethasone 10 mg IV once). */
    readonly grade2Early: SteroidRegimen;
    readonly grade3: SteroidRegimen;
    readonly grade4: SteroidRegimen;
  };
  /** T-P: therapy concepts (keys of `codeLists.crsTherapies`) whose labels allow earlier corticosteroids. */
  readonly earlySteroidProducts: readonly string[];
  /** S2-T: also give section 4 treatment suggestions to patients monitored by a CRS diagnosis alone. */
  readonly conditionOnlySuggestions: boolean;
}

/** `fhir`: outbound FHIR access (contract). */
export interface FhirConfig {
  /** Base URLs the service may call: scheme, host, port (`*` = any) and path prefix. */
  readonly allowedServers: readonly string[];
  /** Budget for all FHIR fetches of one hook call, ms. */
  readonly timeoutMs: number;
  /** Most bytes read from one FHIR response; the read is aborted beyond (the key then cannot be obtained). */
  readonly maxResponseBytes: number;
}

export interface TrustedIssuer {
  readonly iss: string;
  readonly jwksUrl?: string;
  readonly jwks?: { readonly keys: readonly Record<string, unknown>[] };
  /** `tenant` claim values accepted from this issuer; absent or empty = any (or none). */
  readonly tenants?: readonly string[];
  /** JWK Set URLs a token's `jku` header may name; any other `jku` is refused without contacting it. */
  readonly jkuAllowlist?: readonly string[];
}

/** JWS algorithms a site may accept; `none` and HMAC are never accepted. */
export type HookJwtAlgorithm = 'ES384' | 'RS384' | 'ES256' | 'RS256';

/** `auth`: EHR authentication (contract). No trusted issuers = authentication off. */
export interface AuthConfig {
  /** This service's public base URL, e.g. `https://cds.example.org/cds-services`. */
  readonly audience?: string;
  readonly trustedIssuers: readonly TrustedIssuer[];
  /** Accepted signing algorithms; absent = ES384 and RS384 (CDS Hooks 2.0 recommendation). */
  readonly algorithms?: readonly HookJwtAlgorithm[];
  /** Hook and feedback calls per verified issuer per minute; absent = no per-issuer limit. */
  readonly rateLimitPerMinute?: number;
  /** Also require a trusted JWT on discovery (`GET /cds-services`); default false (2.0 discovery is public). */
  readonly requireOnDiscovery?: boolean;
}

/** `http`: limits and cross-origin access of the HTTP surface. */
export interface HttpConfig {
  /** Largest accepted request body, bytes (413 above). */
  readonly bodyLimitBytes: number;
  /** Origins allowed by CORS; `*` = any. */
  readonly corsOrigins: readonly string[];
  /** Hook calls per service admitted at once, from before their body is read until answered. */
  readonly maxConcurrentPerService: number;
  /** Declared body bytes of the hook calls per service admitted at once (a call alone always is). */
  readonly maxConcurrentBytesPerService: number;
  /** Hook calls per service waiting for a slot; beyond, 503 at once. */
  readonly maxQueuedPerService: number;
  /** Longest wait for a slot, ms; then 503. */
  readonly maxQueueWaitMs: number;
  /** Open connections per client address; more are answered 503 and closed. */
  readonly maxConnectionsPerAddress: number;
  /** Time to receive a request's headers, ms (slow clients). */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, ms (slow clients). */
  readonly requestTimeoutMs: number;
  /** On SIGTERM, how long in-flight calls may take to finish before connections are cut, ms. */
  readonly drainTimeoutMs: number;
}

/** `services`: which CDS services discovery lists and answers. */
export interface ServicesConfig {
  readonly enabled: Readonly<Record<string, boolean>>;
}

/** `cards`: where a site's template overrides live. */
export interface CardsConfig {
  /** Directory of `*.json` templates replacing built-ins of the same id; absent = built-ins only. */
  readonly directory?: string;
  /** Code system of override reasons whose template gives none (an absolute URI). */
  readonly overrideReasonSystem: string;
}

/** `storage.pool`: one replica's PostgreSQL connection pool (used when `kind` is `postgres`). */
export interface PostgresPoolConfig {
  /** Most connections this replica holds open. */
  readonly maxConnections: number;
  /** Longest wait for a connection (new or from the pool), ms; then the call answers 503. */
  readonly connectionTimeoutMs: number;
  /** Longest a statement may run, ms (server-side statement_timeout). */
  readonly statementTimeoutMs: number;
  /** An idle connection is closed after this long, ms. */
  readonly idleTimeoutMs: number;
}

/** `storage`: where feedback, the audit trail (and shared replica state with PostgreSQL) is kept. */
export interface StorageConfig {
  /** `sqlite`: an embedded file, one process; `postgres`: shared by every replica. */
  readonly kind: 'sqlite' | 'postgres';
  /** SQLite file path; `:memory:` keeps nothing across restarts. */
  readonly sqlitePath: string;
  /** PostgreSQL connection URL; absent = the `DATABASE_URL` environment variable. */
  readonly url?: string;
  /** Audit records and feedback older than this many days are purged. */
  readonly retentionDays: number;
  readonly pool: PostgresPoolConfig;
}

/** `app`: the CRS timeline, a SMART on FHIR app served under `/app/` (contract: `app.launchUrl`). */
export interface AppConfig {
  /** Absolute URL of the app's EHR launch (`…/app/launch`) put on patient-view cards; absent = derived from `auth.audience`, else from the origin the EHR called. */
  readonly launchUrl?: string;
  /** Whether patient-view cards of monitored patients carry the "Open CRS timeline" smart link. */
  readonly cardLink: boolean;
  /** The OAuth 2.0 client id the EHR registered for the app. */
  readonly clientId: string;
  /** Origins of the EHR authorization servers whose token endpoint the app calls (its CSP `connect-src`). */
  readonly authorizationServers: readonly string[];
  /** Origins allowed to show the app in a frame (its CSP `frame-ancestors`); empty = this origin only. */
  readonly frameAncestors: readonly string[];
}

export interface Config {
  readonly grading: GradingConfig;
  readonly treatment: TreatmentConfig;
  readonly codeLists: CodeLists;
  readonly fhir: FhirConfig;
  readonly auth: AuthConfig;
  readonly http: HttpConfig;
  readonly services: ServicesConfig;
  readonly cards: CardsConfig;
  readonly storage: StorageConfig;
  readonly app: AppConfig;
}
