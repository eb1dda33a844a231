/** JWT ids already accepted by any replica, until their token stops being acceptable. */
import type { Migration } from '../migrate.js';

export const migration: Migration = {
  version: 2,
  name: 'jwt-replay',
  // The key is a SHA-256 of issuer and jti: fixed size, and no claim text at rest.
  sql: `
CREATE TABLE jwt_replay (
  key_hash bytea PRIMARY KEY,
  expires_at_ms bigint NOT NULL
);
CREATE INDEX jwt_replay_expiry ON jwt_replay (expires_at_ms);
`,
};
