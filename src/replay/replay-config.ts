/**
 * A replay configuration: a file (or the defaults) loaded by the server's own loader and validation, its
 * card templates, whether `crs-patient-view` is enabled, and its configuration version. Problems become
 * one line naming the option and the file.
 */
import { servicesFor } from '../../hooks/index.js';
import { BadInput } from '../cli/io.js';
import { ConfigError } from '../config/config-error.js';
import { loadConfigFile } from '../config/load-config.js';
import type { Config } from '../config/types.js';
import { templatesFor } from '../engine/build-runtime.js';
import { configVersion } from '../engine/config-version.js';
import { TemplateError } from '../recommend/templates.js';
import type { ReplayConfig } from './replay-patient.js';

/**
 * @param option - the command-line option that named the file (`--config`, `--baseline`)
 * @param file - the file; undefined for the effective default configuration
 * @throws BadInput naming the option, the file and every problem
 */
export function loadReplayConfig(option: string, file: string | undefined): ReplayConfig & { readonly version: string } {
  let config: Config;
  try {
    config = loadConfigFile(file);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const problems = error.problems.map((p) => (p.path === file ? p.message : `${p.path}: ${p.message}`)).join('; ');
    throw new BadInput(`${option} ${file ?? '(defaults)'}: ${error.reason === 'invalid' ? 'invalid configuration: ' : ''}${problems}`);
  }
  try {
    const templates = templatesFor(config);
    const showsCards = servicesFor(config).some((s) => s.hook === 'patient-view');
    return { config, templates, showsCards, version: configVersion(config, templates) };
  } catch (error) {
    if (error instanceof TemplateError) throw new BadInput(`${option} ${file ?? ''}: invalid card templates: ${error.problems.join('; ')}`);
    throw error;
  }
}
