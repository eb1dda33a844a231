/** `crs-order-sign` (contract.md): the order-select checks on every order being signed. */
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { crsPrefetch } from './prefetch-queries.js';
import type { CdsServiceDefinition } from './types.js';

/** With the default code lists; `servicesFor(config)` rebuilds the prefetch from a site's lists. */
export const crsOrderSign: CdsServiceDefinition = {
  id: 'crs-order-sign',
  hook: 'order-sign',
  title: 'Cytokine release syndrome check at signing',
  description:
    'When orders are signed for a patient monitored for cytokine release syndrome, checks every tocilizumab, corticosteroid ' +
    'and vasopressor order against the current ASTCT 2019 grade, weight-based tocilizumab dosing and dose limits.',
  usageRequirements:
    'Requires read access to Patient, Observation, MedicationAdministration, Medication and Condition for the patient in context, ' +
    'by prefetch or through fhirServer with fhirAuthorization.',
  prefetch: crsPrefetch(DEFAULT_CONFIG.codeLists),
};
