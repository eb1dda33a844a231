/**
 * Validates a site's card template overrides with the cards module's own loader, so check-config
 * refuses exactly what start-up would refuse (built-ins plus overrides, every problem listed).
 */
import { loadCardTemplates, TemplateError } from '../recommend/templates.js';

/** Outcome of checking `cards.directory`: empty when the templates load. */
export function cardOverrideProblems(overrideDir: string): readonly string[] {
  try {
    loadCardTemplates({ overrideDir });
    return [];
  } catch (error) {
    if (error instanceof TemplateError) {
      return error.problems;
    }
    throw error;
  }
}
