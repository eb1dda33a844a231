/** `crs-patient-view` (contract.md): CRS grade and management when a chart is opened. */
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { crsPrefetch } from './prefetch-queries.js';
import type { CdsServiceDefinition } from './types.js';

/** With the default code lists; `servicesFor(config)` rebuilds the prefetch from a site's lists. */
export const crsPatientView: CdsServiceDefinition = {
  id: 'crs-patient-view',
  hook: 'patient-view',
  title: 'Cytokine release syndrome grade (ASTCT 2019)',
  description:
    'For patients who received a CAR-T cell therapy or a T-cell engager in the monitoring window (or carry a CRS diagnosis), ' +
    'grades cytokine release syndrome by ASTCT 2019 consensus criteria from recent vital signs, oxygen support and vasopressors, ' +
    'and recommends grade-appropriate management.',
  usageRequirements:
    'Requires read access to Patient, Observation, MedicationAdministration, Medication and Condition for the patient in context, ' +
    'by prefetch or through fhirServer with fhirAuthorization.',
  prefetch: crsPrefetch(DEFAULT_CONFIG.codeLists),
};
