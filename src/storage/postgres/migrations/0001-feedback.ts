/** Feedback entries: the same table and columns as the embedded store, the entry kept whole as JSON. */
import type { Migration } from '../migrate.js';

export const migration: Migration = {
  version: 1,
  name: 'feedback',
  // `json`, not `jsonb`: it keeps every string JSON allows (jsonb refuses \u0000) exactly as received.
  sql: `
CREATE TABLE feedback (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  service_id text NOT NULL,
  card_uuid text NOT NULL,
  outcome text NOT NULL,
  override_reason_code text,
  outcome_timestamp text NOT NULL,
  received_at timestamptz NOT NULL,
  entry_json json NOT NULL
);
CREATE INDEX feedback_service ON feedback (service_id, outcome);
CREATE INDEX feedback_card ON feedback (card_uuid);
`,
};
