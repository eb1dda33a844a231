/**
 * Builds one runtime snapshot from one configuration: the enabled services, the validated card
 * templates and the evaluator over both. Everything a request reads comes from one snapshot, so a
 * reload swaps configuration and card text together.
 */
import { servicesFor } from '../../hooks/index.js';
import type { Config } from '../config/types.js';
import type { RuntimeSnapshot } from '../protocol/runtime.js';
import { loadCardTemplates } from '../recommend/templates.js';
import { createHookEvaluator } from './evaluate-hook.js';

/**
 * @param config - the effective configuration
 * @param options - `newId`: uuid source for cards and suggestions (default random)
 * @throws TemplateError when a card template (built-in or site override) is invalid
 */
export function buildRuntime(config: Config, options: { readonly newId?: () => string } = {}): RuntimeSnapshot {
  const templates = loadCardTemplates({
    overrideReasonSystem: config.cards.overrideReasonSystem,
    ...(config.cards.directory === undefined ? {} : { overrideDir: config.cards.directory }),
  });
  return {
    config,
    services: servicesFor(config),
    evaluate: createHookEvaluator(config, templates, options.newId),
  };
}
