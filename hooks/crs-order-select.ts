/** `crs-order-select` (contract.md): advice on selected tocilizumab, corticosteroid or vasopressor orders. */
import { DEFAULT_CONFIG } from '../src/config/defaults.js';
import { crsPrefetch } from './prefetch-queries.js';
import type { CdsServiceDefinition } from './types.js';

/** With the default code lists; `servicesFor(config)` rebuilds the prefetch from a site's lists. */
export const crsOrderSelect: CdsServiceDefinition = {
  id: 'crs-order-select',
  hook: 'order-select',
  title: 'Cytokine release syndrome order check',
  description:
    'When tocilizumab, a corticosteroid or a vasopressor is selected for a patient monitored for cytokine release syndrome, ' +
    'checks the order against the current ASTCT 2019 grade, weight-based tocilizumab dosing and dose limits.',
  usageRequirements:
    'Requires read access to Patient, Observation, MedicationAdministration, Medication and Condition for the patient in context, ' +
    'by prefetch or through fhirServer with fhirAuthorization.',
  prefetch: crsPrefetch(DEFAULT_CONFIG.codeLists),
};
