/**
 * Writes a synthetic cohort patient by patient, so memory stays bounded by one patient's course
 * whatever the cohort size: as one `collection` Bundle per patient (`patient-00001.json`, ...), or as
 * FHIR Bulk Data NDJSON with one resource type per file (`Patient.ndjson`, `Observation.ndjson`,
 * `MedicationAdministration.ndjson`), as `$export` writes them; each file lists patients in order.
 */
import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Resource } from 'fhir/r4.js';
import { planCourse, type CohortOptions, type Grade } from './course-plan.js';
import { courseResources } from './course-resources.js';

export type CohortFormat = 'bundle' | 'ndjson';

export interface WriteCohortOptions extends CohortOptions {
  readonly patients: number;
  /** An existing, empty directory. */
  readonly outDir: string;
  readonly format: CohortFormat;
}

export interface CohortSummary {
  readonly patients: number;
  readonly resources: number;
  /** Patients per intended episode-maximum grade. */
  readonly grades: Readonly<Record<Grade, number>>;
  readonly files: readonly string[];
}

/** NDJSON files, one per resource type, opened on first use. */
class NdjsonFiles {
  private readonly streams = new Map<string, WriteStream>();
  constructor(private readonly dir: string) {}

  async write(resources: readonly Resource[]): Promise<void> {
    const byType = new Map<string, string[]>();
    for (const resource of resources) {
      const lines = byType.get(resource.resourceType) ?? [];
      lines.push(JSON.stringify(resource));
      byType.set(resource.resourceType, lines);
    }
    for (const [type, lines] of byType) {
      let stream = this.streams.get(type);
      if (stream === undefined) {
        stream = createWriteStream(join(this.dir, `${type}.ndjson`));
        this.streams.set(type, stream);
      }
      // Backpressure: wait for the file to drain before producing the next patient.
      if (!stream.write(`${lines.join('\n')}\n`)) await once(stream, 'drain');
    }
  }

  async close(): Promise<string[]> {
    await Promise.all([...this.streams.values()].map(async (stream) => {
      stream.end();
      await once(stream, 'close');
    }));
    return [...this.streams.keys()].sort().map((type) => `${type}.ndjson`);
  }
}

/**
 * @param options - cohort options, size, directory and format
 * @returns what was written
 */
export async function writeCohort(options: WriteCohortOptions): Promise<CohortSummary> {
  const grades: Record<Grade, number> = { 0: 0, 1: 0, 2: 0, 3: 0, 4: 0 };
  const files: string[] = [];
  const ndjson = options.format === 'ndjson' ? new NdjsonFiles(options.outDir) : undefined;
  let resources = 0;
  try {
    for (let index = 0; index < options.patients; index++) {
      const plan = planCourse(options, index);
      const course = courseResources(plan, options.seed);
      grades[plan.intendedGrade] += 1;
      resources += course.length;
      if (ndjson !== undefined) {
        await ndjson.write(course);
      } else {
        const file = `patient-${String(index + 1).padStart(5, '0')}.json`;
        const bundle = { resourceType: 'Bundle', type: 'collection', entry: course.map((resource) => ({ resource })) };
        await writeFile(join(options.outDir, file), JSON.stringify(bundle));
        files.push(file);
      }
    }
  } finally {
    if (ndjson !== undefined) files.push(...(await ndjson.close()));
  }
  return { patients: options.patients, resources, grades, files };
}
