/**
 * CDS Hooks 2.0 discovery (https://cds-hooks.hl7.org/2.0/#discovery): the enabled services in the
 * spec's shape. `onFailure` is ours and never leaves the service (as hapi keeps its failure mode out).
 */
import type { CdsServiceDefinition } from '../../hooks/types.js';

/** One service as discovery lists it. */
export interface DiscoveredService {
  readonly hook: string;
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly prefetch: Readonly<Record<string, string>>;
  readonly usageRequirements?: string;
}

/**
 * The discovery body for `services`.
 * @param services - the enabled services, in order
 */
export function discoveryResponse(services: readonly CdsServiceDefinition[]): { services: DiscoveredService[] } {
  return {
    services: services.map((service) => ({
      hook: service.hook,
      id: service.id,
      title: service.title,
      description: service.description,
      prefetch: Object.fromEntries(Object.entries(service.prefetch).map(([key, template]) => [key, template.query])),
      ...(service.usageRequirements === undefined ? {} : { usageRequirements: service.usageRequirements }),
    })),
  };
}
