/** Every CDS service this project defines, in discovery order (an explicit list: no directory scan). */
import type { Config } from '../src/config/types.js';
import { crsOrderSelect } from './crs-order-select.js';
import { crsOrderSign } from './crs-order-sign.js';
import { crsPatientView } from './crs-patient-view.js';
import { crsPrefetch } from './prefetch-queries.js';
import type { CdsServiceDefinition } from './types.js';

export const ALL_SERVICES: readonly CdsServiceDefinition[] = [crsPatientView, crsOrderSelect, crsOrderSign];

/**
 * The services of one configuration, in discovery order: only those `services.enabled` turns on
 * explicitly (absent = off), each with prefetch templates built from the configured code lists, so a
 * code a site adds is fetched too. Use it for `RuntimeSnapshot.services`.
 * @param config - the effective configuration
 */
export function servicesFor(config: Pick<Config, 'services' | 'codeLists'>): readonly CdsServiceDefinition[] {
  const prefetch = crsPrefetch(config.codeLists);
  return ALL_SERVICES.filter((service) => config.services.enabled[service.id] === true).map((service) => ({
    ...service,
    prefetch,
  }));
}
