/**
 * Builds one runtime snapshot from one configuration: the enabled services, the validated card
 * templates and the evaluator over both. Everything a request reads comes from one snapshot, so a
 * reload swaps configuration and card text together.
 */
import { servicesFor } from '../../hooks/index.js';
import type { Config } from '../config/types.js';
import type { RuntimeSnapshot } from '../protocol/runtime.js';
import { loadCardTemplates, type CardTemplates } from '../recommend/templates.js';
import { configVersion } from './config-version.js';
import { createHookEvaluator } from './evaluate-hook.js';

/**
 * @param config - the effective configuration
 * @param options - `newId`: uuid source for cards and suggestions (default random)
 * @throws TemplateError when a card template (built-in or site override) is invalid
 */
export function buildRuntime(config: Config, options: { readonly newId?: () => string } = {}): RuntimeSnapshot {
  const templates = templatesFor(config);
  return {
    config,
    configVersion: configVersion(config, templates),
    services: servicesFor(config),
    evaluate: createHookEvaluator(config, templates, options.newId),
  };
}

/**
 * The card templates a configuration uses: the built-ins plus its `cards.directory` overrides.
 * @param config - the effective configuration
 * @throws TemplateError when a template is invalid
 */
export function templatesFor(config: Config): CardTemplates {
  return loadCardTemplates({
    overrideReasonSystem: config.cards.overrideReasonSystem,
    ...(config.cards.directory === undefined ? {} : { overrideDir: config.cards.directory }),
  });
}
