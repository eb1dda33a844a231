/**
 * Benchmark of the grading engine: a synthetic 28-day ICU record (50,000 Observations, 2,000
 * MedicationAdministrations) assessed at the end of the record, current grade plus episode maximum (G-M).
 * Prints the median time over several runs after warm-up and the heap in use. Targets: < 250 ms, < 200 MB.
 * Run with `npm run bench`.
 */
import type { MedicationAdministration, Observation, Resource } from 'fhir/r4.js';
import { availableParallelism, loadavg } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { assessPatient } from '../src/evidence/assess-patient.js';

const OBSERVATIONS = 50_000;
const ADMINISTRATIONS = 2_000;
const WARM_UP = 3;
const RUNS = 9;
const TARGET_MS = 250;
const TARGET_MB = 200;

const LOINC = 'http://loinc.org';
const UCUM = 'http://unitsofmeasure.org';
const RXNORM = 'http://www.nlm.nih.gov/research/umls/rxnorm';
const SNOMED = 'http://snomed.info/sct';
const START = Date.parse('2026-10-24T08:00:00Z');
const DAYS = 28;
const END = START + DAYS * 86_400_000;

/** Deterministic pseudo-random numbers (mulberry32), so every run benchmarks the same record. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const q = (value: number, code: string) => ({ value, system: UCUM, code, unit: code });
const code = (c: string) => ({ coding: [{ system: LOINC, code: c }] });

function observation(i: number, at: number, rnd: () => number): Observation {
  const base = { resourceType: 'Observation' as const, id: `o${i}`, status: 'final' as const, effectiveDateTime: new Date(at).toISOString() };
  switch (i % 5) {
    case 0:
      return { ...base, code: code('8310-5'), valueQuantity: q(36.5 + rnd() * 3, 'Cel') };
    case 1:
      return {
        ...base,
        code: code('85354-9'),
        component: [
          { code: code('8480-6'), valueQuantity: q(80 + rnd() * 60, 'mm[Hg]') },
          { code: code('8462-4'), valueQuantity: q(40 + rnd() * 40, 'mm[Hg]') },
        ],
      };
    case 2:
      return {
        ...base,
        code: code('59408-5'),
        valueQuantity: q(85 + rnd() * 15, '%'),
        component: [{ code: code('3151-8'), valueQuantity: q(Math.floor(rnd() * 10), 'L/min') }],
      };
    case 3:
      return { ...base, code: code('8478-0'), valueQuantity: q(55 + rnd() * 40, 'mm[Hg]') };
    default:
      return {
        ...base,
        code: code('107117-4'),
        valueCodeableConcept: rnd() < 0.5 ? { coding: [{ system: SNOMED, code: '336623009' }] } : { text: 'high flow nasal cannula' },
      };
  }
}

/**
 * Only norepinephrine and vasopressin infuse, and no positive-pressure device is charted, so the episode
 * never reaches grade 4: the G-M sweep cannot stop early and visits every data instant (the worst case).
 */
const DRUGS = [
  ['7512', 'norepinephrine'],
  ['11149', 'vasopressin'],
  ['5640', 'ibuprofen'],
  ['161', 'acetaminophen'],
  ['3264', 'dexamethasone'],
  ['612865', 'tocilizumab'],
] as const;

function administration(i: number, at: number, rnd: () => number): MedicationAdministration {
  const [rxcui, name] = DRUGS[i % DRUGS.length] ?? DRUGS[0];
  const infusion = i % DRUGS.length < 2;
  const start = new Date(at).toISOString();
  return {
    resourceType: 'MedicationAdministration',
    id: `m${i}`,
    status: 'completed',
    subject: { reference: 'Patient/bench' },
    medicationCodeableConcept: { coding: [{ system: RXNORM, code: rxcui, display: name }], text: name },
    ...(infusion
      ? { effectivePeriod: { start, end: new Date(at + (1 + rnd() * 6) * 3_600_000).toISOString() } }
      : { effectiveDateTime: start }),
  };
}

function syntheticRecord(): Resource[] {
  const rnd = random(42);
  const resources: Resource[] = [
    { resourceType: 'Patient', id: 'bench' } as Resource,
    {
      resourceType: 'MedicationAdministration',
      id: 'cart',
      status: 'completed',
      subject: { reference: 'Patient/bench' },
      medicationCodeableConcept: { text: 'axicabtagene ciloleucel (Yescarta)' },
      effectiveDateTime: new Date(START).toISOString(),
    } as MedicationAdministration,
    {
      resourceType: 'Observation',
      id: 'weight',
      status: 'final',
      code: code('29463-7'),
      effectiveDateTime: new Date(END - 86_400_000).toISOString(),
      valueQuantity: q(72, 'kg'),
    } as Observation,
  ];
  for (let i = 0; i < OBSERVATIONS; i += 1) resources.push(observation(i, START + rnd() * (END - START), rnd));
  for (let i = 0; i < ADMINISTRATIONS; i += 1) resources.push(administration(i, START + rnd() * (END - START), rnd));
  // As the service receives it: parsed from JSON.
  return JSON.parse(JSON.stringify(resources)) as Resource[];
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const resources = syntheticRecord();
const asOf = new Date(END);
collectGarbage();
const heapBefore = process.memoryUsage().heapUsed;

let result = assessPatient(resources, asOf, DEFAULT_CONFIG);
for (let i = 0; i < WARM_UP; i += 1) result = assessPatient(resources, asOf, DEFAULT_CONFIG);
const times: number[] = [];
const cpuTimes: number[] = [];
let peakHeap = 0;
for (let i = 0; i < RUNS; i += 1) {
  collectGarbage();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  result = assessPatient(resources, asOf, DEFAULT_CONFIG);
  times.push(performance.now() - t0);
  const cpu = process.cpuUsage(cpu0);
  cpuTimes.push((cpu.user + cpu.system) / 1000);
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}

const ms = median(times);
const mb = (bytes: number): number => Math.round((bytes / 1_048_576) * 10) / 10;
console.log(`record: ${OBSERVATIONS} Observations, ${ADMINISTRATIONS} MedicationAdministrations over ${DAYS} days`);
console.log(`result: grade ${String(result?.grade)}, episode max ${String(result?.episodeMaxGrade)} at ${result?.episodeMaxGradeAt ?? '-'}`);
console.log(`assessPatient median of ${RUNS} runs (after ${WARM_UP} warm-up): ${ms.toFixed(1)} ms wall, ${median(cpuTimes).toFixed(1)} ms CPU (target < ${TARGET_MS} ms)`);
console.log(`load average (1 min) during the run: ${loadavg()[0]?.toFixed(2) ?? '?'} on ${availableParallelism()} CPUs`);
console.log(`heap used: ${mb(heapBefore)} MB with the record loaded, ${mb(peakHeap)} MB at most after a run (target < ${TARGET_MB} MB)`);
console.log(ms < TARGET_MS && mb(peakHeap) < TARGET_MB ? 'within targets' : 'OUTSIDE TARGETS');
