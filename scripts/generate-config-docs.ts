/**
 * Writes docs/configuration.md from the configuration schema. Run: `npx tsx scripts/generate-config-docs.ts`.
 * test/config/config-docs.test.ts fails when the committed file is stale.
 */
import { writeFileSync } from 'node:fs';
import { generateConfigDocs } from '../src/config/config-docs.js';

const target = new URL('../docs/configuration.md', import.meta.url);
writeFileSync(target, generateConfigDocs());
process.stdout.write(`wrote ${target.pathname}\n`);
