/**
 * fast-check generators of schema-valid JSON carrying wrongly shaped FHIR R4 content: every field the engine
 * reads is either plausible (real codes, times, units, so the deep paths run) or of a wrong kind (null, a
 * number, an object where a string goes, a string where an array goes, `[null]`, ...).
 */
import fc from 'fast-check';

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
const UCUM = 'http://unitsofmeasure.org';

/** A value of the wrong kind for almost any FHIR field. */
export const wrongKind: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, 0, -1, 12345, 1.5, true, false, '', ' ', {}, [], [null], [[]], [{}], { coding: null }, 'x'),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Either a plausible value or one of the wrong kind. */
const maybe = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: wrongKind });

/** An array of plausible-or-hostile items, or a hostile value in place of the array. */
const maybeArray = (item: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => maybe(fc.array(maybe(item), { maxLength: 3 }));

const id = fc.constantFrom('a', 'b', 'm1', 'draft-1', 'x.y');
const dateTime = fc.constantFrom(
  '2026-11-21T08:00:00Z',
  '2026-11-20T23:30:00.5+02:00',
  '2026-11-21',
  '2026-11',
  '2026',
  '2026-02-31T00:00:00Z',
  '2026-11-21T08:00:00.Z',
  '0001-01-01T00:00:00Z',
  '2026-11-21T08:00:00+99:99',
);

const coding = fc.record(
  {
    system: maybe(fc.constantFrom(LOINC, SNOMED, RXNORM, ICD10CM, '')),
    code: maybe(fc.constantFrom('8310-5', '8480-6', '8478-0', '59408-5', '3151-8', '29463-7', '19935-6', '612865', '3264', '7512', 'D89.83', 'D8983', '371907003', 'active', 'refuted')),
    display: maybe(fc.constantFrom('tocilizumab', 'Kymriah', 'nasal cannula', 'norepinephrine', 'dexamethasone', 'room air')),
  },
  { requiredKeys: [] },
);

const concept = maybe(fc.record({ coding: maybeArray(coding), text: maybe(fc.constantFrom('Kymriah', 'tocilizumab', 'high-flow nasal cannula', 'saline')) }, { requiredKeys: [] }));

const quantity = maybe(
  fc.record(
    {
      value: maybe(fc.oneof(fc.double({ min: -10, max: 400, noNaN: true }), fc.constantFrom(38.5, 85, 4))),
      unit: maybe(fc.constantFrom('°C', 'mmHg', 'L/min', 'kg', '%', 'mg')),
      code: maybe(fc.constantFrom('Cel', 'mm[Hg]', 'L/min', 'kg', '%', 'mg', 'g')),
      system: maybe(fc.constant(UCUM)),
    },
    { requiredKeys: [] },
  ),
);

const period = maybe(fc.record({ start: maybe(dateTime), end: maybe(dateTime) }, { requiredKeys: [] }));

const reference = maybe(fc.record({ reference: maybe(fc.constantFrom('Medication/m1', '#m1', 'Medication/none')), display: maybe(fc.constantFrom('Kymriah', 'tocilizumab')) }, { requiredKeys: [] }));

const medication = fc.record(
  {
    resourceType: fc.constant('Medication'),
    id: maybe(id),
    code: concept,
    ingredient: maybeArray(fc.record({ itemCodeableConcept: concept, itemReference: reference }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

const observation = fc.record(
  {
    resourceType: fc.constant('Observation'),
    id: maybe(id),
    status: maybe(fc.constantFrom('final', 'amended', 'preliminary', 'cancelled')),
    code: concept,
    effectiveDateTime: maybe(dateTime),
    effectiveInstant: maybe(dateTime),
    effectivePeriod: period,
    valueQuantity: quantity,
    valueCodeableConcept: concept,
    valueString: maybe(fc.constantFrom('nasal cannula', 'room air', 'BiPAP')),
    component: maybeArray(fc.record({ code: concept, valueQuantity: quantity, valueCodeableConcept: concept, valueString: wrongKind }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

const administration = fc.record(
  {
    resourceType: fc.constant('MedicationAdministration'),
    id: maybe(id),
    status: maybe(fc.constantFrom('completed', 'in-progress', 'not-done', 'on-hold')),
    medicationCodeableConcept: concept,
    medicationReference: reference,
    contained: maybeArray(medication),
    effectiveDateTime: maybe(dateTime),
    effectivePeriod: period,
    dosage: maybe(fc.record({ dose: quantity, route: concept }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

const condition = fc.record(
  {
    resourceType: fc.constant('Condition'),
    id: maybe(id),
    code: concept,
    clinicalStatus: concept,
    verificationStatus: concept,
    onsetDateTime: maybe(dateTime),
    onsetPeriod: period,
    recordedDate: maybe(dateTime),
  },
  { requiredKeys: ['resourceType'] },
);

const patient = fc.record(
  {
    resourceType: fc.constant('Patient'),
    id: maybe(id),
    name: maybeArray(fc.record({ text: maybe(fc.constant('A B')), given: maybeArray(fc.constant('A')) }, { requiredKeys: [] })),
    birthDate: maybe(dateTime),
    identifier: maybeArray(fc.record({ value: maybe(fc.constant('MRN-1')) }, { requiredKeys: [] })),
  },
  { requiredKeys: ['resourceType'] },
);

/** A hostile resource of one of the kinds the engine reads, or something that is no resource at all. */
export const hostileResource: fc.Arbitrary<unknown> = fc.oneof(observation, administration, medication, condition, patient, wrongKind);

/**
 * A valid administration of a CAR-T product the day before the evaluation time (S1), so the patient is
 * monitored and every extractor runs over the hostile resources beside it.
 */
export const MONITORED_BY: Record<string, unknown> = {
  resourceType: 'MedicationAdministration',
  id: 'car-t',
  status: 'completed',
  medicationCodeableConcept: { text: 'Kymriah' },
  effectiveDateTime: '2026-11-20T10:00:00Z',
};

/** A Bundle entry: mostly `{ resource }` with a hostile resource, sometimes no entry object at all. */
const entry: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: hostileResource.map((resource) => ({ resource })) },
  { weight: 1, arbitrary: fc.constantFrom(null, 5, 'x', {}, [], { resource: null }) },
);

const ABSENT = Symbol('absent');
/** One time in ten a value from `arb`, otherwise {@link ABSENT}. */
const rarely = (arb: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 9, arbitrary: fc.constant(ABSENT) }, { weight: 1, arbitrary: arb });

/**
 * A searchset Bundle of hostile entries (plus, sometimes, the monitoring therapy); now and then its
 * `entry` or `link` is itself of the wrong kind.
 * @param monitored - whether the Bundle may also carry {@link MONITORED_BY}
 */
export const hostileBundle = (monitored: boolean): fc.Arbitrary<Record<string, unknown>> =>
  fc
    .record({
      entries: fc.array(entry, { maxLength: 6 }),
      therapy: fc.boolean(),
      wrongEntry: rarely(fc.constantFrom(null, {}, 5, 'x', { resource: MONITORED_BY })),
      link: rarely(fc.constantFrom(null, {}, 5, [null], [{ relation: 5, url: {} }])),
    })
    .map(({ entries, therapy, wrongEntry, link }) => ({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: wrongEntry === ABSENT ? [...entries, ...(monitored && therapy ? [{ resource: MONITORED_BY }] : [])] : wrongEntry,
      ...(link === ABSENT ? {} : { link }),
    }));

const medicationRequest = fc.record(
  {
    resourceType: fc.constant('MedicationRequest'),
    id: fc.constantFrom('draft-1', 'draft-2'),
    status: maybe(fc.constant('draft')),
    intent: maybe(fc.constant('order')),
    medicationCodeableConcept: concept,
    medicationReference: reference,
    contained: maybeArray(medication),
    dosageInstruction: maybeArray(
      fc.record(
        {
          doseAndRate: maybeArray(fc.record({ doseQuantity: quantity }, { requiredKeys: [] })),
          route: concept,
          timing: wrongKind,
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['resourceType', 'id'] },
);

/** `context.draftOrders`: a Bundle of hostile MedicationRequests (and other hostile entries). */
export const hostileDraftOrders: fc.Arbitrary<Record<string, unknown>> = fc
  .array(fc.oneof({ weight: 3, arbitrary: medicationRequest }, { weight: 1, arbitrary: medication }), { minLength: 1, maxLength: 3 })
  .map((resources) => ({ resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) }));
