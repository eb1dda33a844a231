/**
 * Writes the audit records of each answered hook call, before the answer is sent, so that every card a
 * clinician can give feedback on already has its record. A failing write never costs the clinician the
 * card: it is logged (error name only) and counted (`crs_cds_audit_write_failures_total`), and the
 * answer goes out unchanged. Measured cost of the write: see docs/informatics.md.
 */
import type { Logger } from 'pino';
import type { Config } from '../config/types.js';
import type { CdsHooksResponse } from '../recommend/card-types.js';
import type { AuditStore } from '../storage/audit-store.js';
import { auditRecords, type AnsweredCall } from './audit-records.js';

/** Records one answered call; never throws. */
export type HookAuditor = (response: CdsHooksResponse, call: AnsweredCall, treatment: Config['treatment']) => Promise<void>;

/**
 * @param store - where records go
 * @param logger - where a failed write is reported
 * @param onFailure - counts a failed write (metrics), by service id
 */
export function createHookAuditor(store: AuditStore, logger: Logger, onFailure: (serviceId: string) => void): HookAuditor {
  return async (response, call, treatment) => {
    try {
      await store.record(auditRecords(response, call, treatment));
    } catch (error) {
      onFailure(call.serviceId);
      // Storage errors may quote values: log the name only.
      logger.error({ errorName: error instanceof Error ? error.name : typeof error, service: call.serviceId }, 'audit write failed; answer sent without its audit record');
    }
  };
}
