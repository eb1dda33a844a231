/**
 * The `codeLists` part of the configuration schema. A site never restates a list: it writes a *delta*
 * per concept (`addCodes`, `addNames`, `removeCodes`, `removeNames`, or `remove: true` for a whole
 * default concept) and per observation list (`add`, `remove`). The delta is applied by merge-code-lists.ts.
 */
import { formatCodeRef } from './code-refs.js';
import { DEFAULT_CONFIG } from './defaults.js';
import type { SchemaNode } from './schema-builders.js';
import type { CodeRef, Concept, ConceptMap } from './types.js';

const CODE_TEXT = 'a code written "system|code" (e.g. "rxnorm|7512", "http://loinc.org|8310-5")';

const codes = (text: string): SchemaNode => ({
  type: 'array',
  description: `${text}: ${CODE_TEXT}.`,
  items: { type: 'string', minLength: 1 },
});
const names = (text: string): SchemaNode => ({
  type: 'array',
  description: `${text}: whole-word, case-insensitive (E7).`,
  items: { type: 'string', minLength: 1 },
});

function describeDefaults(concept: Concept): string {
  const codeText = concept.codes.length === 0 ? 'none' : concept.codes.map(formatCodeRef).join(', ');
  const nameText = concept.names.length === 0 ? 'none' : concept.names.map((n) => `"${n}"`).join(', ');
  return `default codes ${codeText}; default names ${nameText}`;
}

/** The changes a site may make to one concept; `remove: true` only for concepts of a concept map. */
function conceptDelta(description: string, removable: boolean): SchemaNode {
  return {
    type: 'object',
    description,
    additionalProperties: false,
    properties: {
      addCodes: codes('Codes to add'),
      removeCodes: codes('Default codes to remove'),
      addNames: names('Names or synonyms to add'),
      removeNames: names('Default names to remove'),
      ...(removable
        ? { remove: { const: true, description: 'true drops this default concept entirely.' } }
        : {}),
    },
  };
}

function fixedConcept(rule: string, label: string, concept: Concept): SchemaNode {
  return { ...conceptDelta(`${rule} ${label}: ${describeDefaults(concept)}.`, false), 'x-rule': rule };
}

function conceptMap(rule: string, label: string, map: ConceptMap): SchemaNode {
  const properties: Record<string, SchemaNode> = {};
  for (const [id, concept] of Object.entries(map)) {
    properties[id] = conceptDelta(`${rule} ${label} "${id}": ${describeDefaults(concept)}.`, true);
  }
  return {
    type: 'object',
    description:
      `${rule} ${label}, one concept per id. Change a default concept with addCodes/removeCodes/addNames/` +
      'removeNames, drop it with remove: true, or add a new concept under a new id (lowercase, "-" between words) with addCodes and/or addNames.',
    'x-rule': rule,
    properties,
    additionalProperties: conceptDelta(`${rule} a new ${label} concept (an id that is not a default).`, true),
  };
}

function codeList(label: string, list: readonly CodeRef[]): SchemaNode {
  return {
    type: 'object',
    description: `6.5 ${label}: default ${list.map(formatCodeRef).join(', ')}.`,
    'x-rule': '6.5',
    additionalProperties: false,
    properties: { add: codes('Codes to add'), remove: codes('Default codes to remove') },
  };
}

const OBSERVATION_LABELS: Readonly<Record<string, string>> = {
  bodyTemperature: 'body temperature at any site (F1; a temperature-unit Observation under another code is reported, E8)',
  systolicBp: 'systolic blood pressure (H1)',
  bpPanel: 'blood pressure panel, SBP read from its components (E4)',
  meanArterialPressure: 'charted mean arterial pressure (H1)',
  spo2: 'SpO2 (O1 finding)',
  o2FlowRate: 'inhaled oxygen flow rate (O1)',
  fio2: 'FiO2 (O1 tiers by grading.fio2LowFlowAbovePercent and fio2HighFlowFromPercent)',
  o2DeliveryMethod: 'method of oxygen delivery (O1)',
  bodyWeight: 'body weight (T-D)',
  heartRate: 'heart rate (context)',
  respiratoryRate: 'respiratory rate (context)',
  crp: 'CRP (context, m-EASIX)',
  ferritin: 'ferritin (context)',
  il6: 'IL-6 (context)',
  ldh: 'LDH (context, m-EASIX)',
  platelets: 'platelets (context, m-EASIX)',
  creatinine: 'creatinine (context)',
};

/** The `codeLists` section of the schema, with every default code in the descriptions. */
export function codeListsSchema(): SchemaNode {
  const lists = DEFAULT_CONFIG.codeLists;
  const observations: Record<string, SchemaNode> = {};
  for (const [key, list] of Object.entries(lists.observations)) {
    observations[key] = codeList(OBSERVATION_LABELS[key] ?? key, list ?? []);
  }
  const devices = lists.oxygenDevices;
  return {
    type: 'object',
    description: 'Section 6 code lists. Each list is extended, or a default entry removed, without restating it.',
    additionalProperties: false,
    properties: {
      oxygenDevices: {
        type: 'object',
        description: '6.1 Oxygen devices by O1 tier (SNOMED CT codes; names are device-text synonyms).',
        'x-rule': 'O1',
        additionalProperties: false,
        properties: {
          lowFlow: fixedConcept('O1', 'low-flow devices', devices.lowFlow),
          highFlow: fixedConcept('O1', 'high-flow devices', devices.highFlow),
          positivePressure: fixedConcept('O1', 'positive-pressure devices', devices.positivePressure),
          roomAir: fixedConcept('O1', 'room air (adds nothing)', devices.roomAir),
        },
      },
      vasopressors: conceptMap('H2', 'vasopressor ingredient (6.2; "vasopressin" never counts toward multiple)', lists.vasopressors),
      inotropes: conceptMap('H2', 'inotrope (6.2; counted only with grading.countInotropes)', lists.inotropes),
      antiCytokines: conceptMap('F2', 'anti-cytokine agent (6.3; tocilizumab also for T-L)', lists.antiCytokines),
      corticosteroids: conceptMap('F2', 'systemic corticosteroid (6.3; also T-S, OS3)', lists.corticosteroids),
      antipyretics: conceptMap('F2', 'antipyretic (6.3)', lists.antipyretics),
      crsTherapies: {
        type: 'object',
        description: '6.4 CRS-associated therapies that make a patient monitored (S1); always matched by name too.',
        'x-rule': 'S1',
        additionalProperties: false,
        properties: {
          carT: conceptMap('S1', 'CAR-T product (6.4)', lists.crsTherapies.carT),
          tCellEngagers: conceptMap('S1', 'T-cell engager (6.4)', lists.crsTherapies.tCellEngagers),
        },
      },
      crsConditions: fixedConcept('S2', 'CRS diagnosis codes (6.6, ICD-10-CM; the dot is optional when matching)', lists.crsConditions),
      nonSystemicRoutes: fixedConcept('F2', 'routes that are not systemic: a corticosteroid or antipyretic given by one of them neither masks fever nor counts toward T-S (dosage.route, SNOMED CT; names on its display and text)', lists.nonSystemicRoutes),
      nonSystemicForms: fixedConcept('F2', 'non-systemic forms named in the medication text (a corticosteroid or antipyretic named so neither masks fever nor counts toward T-S)', lists.nonSystemicForms),
      observations: {
        type: 'object',
        description: '6.5 Observation codes (LOINC) the evidence extraction reads.',
        'x-rule': '6.5',
        additionalProperties: false,
        properties: observations,
      },
    },
  };
}
