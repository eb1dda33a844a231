/**
 * The built-in configuration: every default of `shared/clinical/crs-rules.md`, cited by rule id.
 * A site's file is merged over this (see load-config); nothing clinical is hard-coded elsewhere.
 */
import type { CodeRef, Concept, Config } from './types.js';

export const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
export const SNOMED = 'http://snomed.info/sct';
export const LOINC = 'http://loinc.org';
export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
/**
 * Code system of the built-in override reasons: a UUID URN minted for this project (RFC 4122; it needs no
 * registry and names nothing else). Documented in cards/README.md; `cards.overrideReasonSystem` replaces it.
 */
export const OVERRIDE_REASON_SYSTEM = 'urn:uuid:254860d8-983d-417f-96ad-48bab59e9b20';

const rx = (code: string): CodeRef => ({ system: RXNORM, code });
const sct = (code: string): CodeRef => ({ system: SNOMED, code });
const loinc = (code: string): CodeRef => ({ system: LOINC, code });
const icd = (code: string): CodeRef => ({ system: ICD10CM, code });
const concept = (codes: CodeRef[], names: string[]): Concept => ({ codes, names });
const named = (...names: string[]): Concept => concept([], names);

export const DEFAULT_CONFIG: Config = {
  grading: {
    feverCelsius: 38.0, // F1
    sbpBelow: 90, // H1
    mapBelow: 65, // H1
    lowFlowMaxLpm: 6, // O1
    spo2Below: 90, // O1 (finding only)
    lookbackHours: 24, // section 2
    monitoringWindowDays: 28, // S1
    pointAdministrationActiveMinutes: 60, // E3
    countInotropes: false, // H2
    weightMaxAgeDays: 30, // T-D
    doseRoundingMg: 1, // T-D
    showGradeZero: false, // grade table, grade 0
    matchNames: true, // section 6
    displayScales: [], // section 7 (placeholder, not rendered yet)
    plausible: {
      // E6
      temperatureCelsius: { min: 30, max: 45 },
      pressureMmHg: { min: 30, max: 300 },
      o2FlowLpm: { min: 0, max: 80 },
      weightKg: { min: 0.5, max: 500 },
      spo2Percent: { min: 50, max: 100 },
      fio2Percent: { min: 21, max: 100 },
    },
    rateRecordActiveHours: 6, // E3-R
    fio2LowFlowAbovePercent: 21, // O1
    fio2HighFlowFromPercent: 45, // O1
    resolutionHours: 24, // F2 end of masking (a)
    maskingMaxHours: 168, // F2 end of masking (b)
    pediatricHypotension: true, // H1-P
    pediatricSbpBelow: { underOneMonth: 60, underOneYear: 70, base: 70, perYear: 2, untilYears: 10 }, // H1-P (PALS)
  },
  treatment: {
    tocilizumab: {
      concept: 'tocilizumab',
      rxnorm: '612865',
      mgPerKg: 8, // T-D
      mgPerKgLowWeight: 12, // T-D
      lowWeightBelowKg: 30, // T-D
      maxDoseMg: 800, // T-D
      infusionMinutes: 60, // T-D
      maxDosesPer24h: 3, // T-L
      maxDosesPerEpisode: 4, // T-L
      minHoursBetweenDoses: 8, // T-L
      doseTolerancePercent: 10, // OS1
    },
    persistentFeverHours: 72, // T1
    refractoryAfterTocilizumabDoses: 2, // T2
    steroidRepeatWindowHours: 24, // T-S
    // T-S: mg equal to dexamethasone 0.75 mg
    steroidEquivalentMg: { dexamethasone: 0.75, methylprednisolone: 4, prednisone: 5, hydrocortisone: 20 },
    earlySteroidProducts: [], // T-P (option, default off)
    conditionOnlySuggestions: false, // S2-T
    steroids: {
      grade2Refractory: { concept: 'dexamethasone', rxnorm: '3264', doseMg: 10, route: 'IV', everyHours: 12 }, // T2
      grade2Early: { concept: 'dexamethasone', rxnorm: '3264', doseMg: 10, route: 'IV', everyHours: 24, doses: 1 }, // T-P
      grade3: { concept: 'dexamethasone', rxnorm: '3264', doseMg: 10, route: 'IV', everyHours: 6 }, // grade 3
      grade4: {
        concept: 'methylprednisolone',
        rxnorm: '6902',
        doseMg: 1000,
        route: 'IV',
        everyHours: 24,
        durationDays: 3,
      }, // grade 4
    },
  },
  codeLists: {
    oxygenDevices: {
      // 6.1; names are the O1 device-text synonyms
      lowFlow: concept(
        [sct('336623009'), sct('466713001'), sct('371907003'), sct('425478008')],
        ['nasal cannula', 'NC', 'cannula', 'blow-by', 'blow by', 'Oxymizer', 'reservoir cannula'],
      ),
      highFlow: concept(
        [
          sct('426854004'), sct('336602003'), sct('427591007'), sct('464233000'), sct('428285009'),
          sct('465433006'), sct('426294006'), sct('426851007'), sct('465839001'), sct('371908008'),
        ],
        [
          'high flow', 'hi flow', 'HFNC', 'HHFNC', 'HFNO', 'Vapotherm', 'Optiflow', 'Airvo', 'simple mask',
          'face mask', 'NRB', 'non-rebreather', 'nonrebreather', 'partial rebreather', 'venturi', 'venti mask',
          'face tent', 'aerosol mask', 'trach collar', 'tracheostomy collar', 'trach mask',
        ],
      ),
      positivePressure: concept(
        [sct('47545007'), sct('243142003'), sct('1186618000'), sct('428311008'), sct('40617009'), sct('26412008')],
        ['CPAP', 'BiPAP', 'BPAP', 'bilevel', 'NIV', 'NIPPV', 'ventilator', 'mechanical ventilation', 'intubated', 'ETT'],
      ),
      roomAir: concept([sct('722742002')], ['room air', 'RA', 'none']),
    },
    vasopressors: {
      // 6.2
      norepinephrine: concept([rx('7512')], ['norepinephrine']),
      epinephrine: concept([rx('3992')], ['epinephrine']),
      phenylephrine: concept([rx('8163')], ['phenylephrine']),
      dopamine: concept([rx('3628')], ['dopamine']),
      vasopressin: concept([rx('11149')], ['vasopressin']), // special in H2
    },
    inotropes: {
      dobutamine: concept([rx('3616')], ['dobutamine']),
      milrinone: named('milrinone'),
    },
    antiCytokines: {
      // 6.3
      // 6.3 rev. 2: brand and biosimilar names; "tocilizumab-aazg" matches "tocilizumab" as a whole word (E7)
      tocilizumab: concept([rx('612865')], ['tocilizumab', 'Actemra', 'RoActemra', 'Tofidence', 'Tyenne', 'Avtozma']),
      anakinra: concept([rx('72435')], ['anakinra']),
      siltuximab: named('siltuximab'),
    },
    corticosteroids: {
      dexamethasone: concept([rx('3264')], ['dexamethasone']),
      methylprednisolone: concept([rx('6902')], ['methylprednisolone']),
      hydrocortisone: concept([rx('5492')], ['hydrocortisone']),
      prednisone: concept([rx('8640')], ['prednisone']),
    },
    antipyretics: {
      acetaminophen: concept([rx('161')], ['acetaminophen']),
      ibuprofen: concept([rx('5640')], ['ibuprofen']),
    },
    crsTherapies: {
      // 6.4, matched by name
      carT: {
        tisagenlecleucel: named('tisagenlecleucel', 'Kymriah'),
        'axicabtagene-ciloleucel': named('axicabtagene ciloleucel', 'Yescarta'),
        'brexucabtagene-autoleucel': named('brexucabtagene autoleucel', 'Tecartus'),
        'lisocabtagene-maraleucel': named('lisocabtagene maraleucel', 'Breyanzi'),
        'idecabtagene-vicleucel': named('idecabtagene vicleucel', 'Abecma'),
        'ciltacabtagene-autoleucel': named('ciltacabtagene autoleucel', 'Carvykti'),
        'obecabtagene-autoleucel': named('obecabtagene autoleucel', 'Aucatzyl'),
      },
      tCellEngagers: {
        blinatumomab: named('blinatumomab', 'Blincyto'),
        teclistamab: named('teclistamab', 'Tecvayli'),
        talquetamab: named('talquetamab', 'Talvey'),
        elranatamab: named('elranatamab', 'Elrexfio'),
        linvoseltamab: named('linvoseltamab', 'Lynozyfic'),
        epcoritamab: named('epcoritamab', 'Epkinly'),
        glofitamab: named('glofitamab', 'Columvi'),
        mosunetuzumab: named('mosunetuzumab', 'Lunsumio'),
        tarlatamab: named('tarlatamab', 'Imdelltra'),
        tebentafusp: named('tebentafusp', 'Kimmtrak'),
      },
    },
    // 6.6 / S2; matching ignores the dot and accepts an absent system
    crsConditions: concept(
      ['D89.83', 'D89.831', 'D89.832', 'D89.833', 'D89.834', 'D89.835', 'D89.839'].map(icd),
      [],
    ),
    // F2 "systemic": routes that are not (SNOMED CT), named as in crs-rules.md for route text
    nonSystemicRoutes: concept(
      ['6064005', '448598008', '45890007', '447694001', '18679011', '46713006', '54485002', '10547007', '12130007'].map(sct),
      ['topical', 'cutaneous', 'transdermal', 'inhalation', 'nasal', 'ophthalmic', 'otic', 'intra-articular'],
    ),
    // F2 "systemic": non-systemic forms named in the medication text
    nonSystemicForms: named('cream', 'ointment', 'lotion', 'gel', 'inhaler', 'inhalation', 'eye drops', 'ear drops', 'nasal spray'),
    observations: {
      // 6.5
      // 6.5 rev. 2: body, oral, axillary, rectal, tympanic, temporal artery, core
      bodyTemperature: ['8310-5', '8331-1', '8328-7', '8332-9', '8333-7', '75539-7', '8329-5'].map(loinc),
      systolicBp: [loinc('8480-6')],
      bpPanel: [loinc('85354-9')],
      meanArterialPressure: [loinc('8478-0')],
      spo2: [loinc('2708-6'), loinc('59408-5')],
      o2FlowRate: [loinc('3151-8')],
      fio2: [loinc('3150-0')],
      o2DeliveryMethod: [loinc('107117-4')],
      bodyWeight: [loinc('29463-7')],
      heartRate: [loinc('8867-4')],
      respiratoryRate: [loinc('9279-1')],
      crp: [loinc('1988-5')],
      ferritin: [loinc('2276-4')],
      il6: [loinc('26881-3')],
      ldh: [loinc('2532-0')],
      platelets: [loinc('777-3')],
      creatinine: [loinc('2160-0')],
    },
  },
  fhir: {
    allowedServers: ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'],
    timeoutMs: 2000,
    maxResponseBytes: 20 * 1024 * 1024,
  },
  auth: { trustedIssuers: [], requireOnDiscovery: false },
  http: {
    bodyLimitBytes: 5 * 1024 * 1024,
    corsOrigins: ['*'],
    maxConcurrentPerService: 32,
    maxConcurrentBytesPerService: 8 * 1024 * 1024,
    maxQueuedPerService: 64,
    maxQueueWaitMs: 1000,
    maxConnectionsPerAddress: 64,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    drainTimeoutMs: 10_000,
  },
  services: { enabled: { 'crs-patient-view': true, 'crs-order-select': true, 'crs-order-sign': true } },
  cards: { overrideReasonSystem: OVERRIDE_REASON_SYSTEM },
  storage: {
    kind: 'sqlite',
    sqlitePath: './data/crs-cds.sqlite',
    retentionDays: 400,
    pool: { maxConnections: 10, connectionTimeoutMs: 2000, statementTimeoutMs: 5000, idleTimeoutMs: 30_000 },
  },
  app: { cardLink: true, clientId: 'crs-cds-timeline', authorizationServers: [], frameAncestors: [] },
};
