/** The audit trail of answered cards (issue 11): the embedded store's table and columns. Additive only. */
import type { Migration } from '../migrate.js';

export const migration: Migration = {
  version: 4,
  name: 'audit',
  sql: `
CREATE TABLE audit_card (
  card_uuid text PRIMARY KEY,
  service_id text NOT NULL,
  template_id text NOT NULL,
  indicator text NOT NULL,
  grade smallint,
  episode_max_grade smallint,
  suggestions_json json NOT NULL,
  config_version text NOT NULL,
  patient_hash text NOT NULL,
  recorded_at timestamptz NOT NULL
);
CREATE INDEX audit_card_recorded ON audit_card (recorded_at, card_uuid);
CREATE INDEX feedback_received ON feedback (received_at);
`,
};
