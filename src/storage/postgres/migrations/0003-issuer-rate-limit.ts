/** Per-issuer request counters in fixed windows, shared by every replica. */
import type { Migration } from '../migrate.js';

export const migration: Migration = {
  version: 3,
  name: 'issuer-rate-limit',
  sql: `
CREATE TABLE issuer_rate_limit (
  key text PRIMARY KEY,
  hits integer NOT NULL,
  reset_at_ms bigint NOT NULL
);
`,
};
