/**
 * Every PostgreSQL migration of this release, in version order (an explicit list, like hooks/index.ts:
 * nothing is discovered by scanning). To change the schema, add `NNNN-what.ts` beside these with the
 * next version and append it here; never edit one that has shipped (its checksum is recorded).
 */
import type { Migration } from '../migrate.js';
import { migration as feedback } from './0001-feedback.js';
import { migration as jwtReplay } from './0002-jwt-replay.js';
import { migration as issuerRateLimit } from './0003-issuer-rate-limit.js';

export const POSTGRES_MIGRATIONS: readonly Migration[] = [feedback, jwtReplay, issuerRateLimit];
