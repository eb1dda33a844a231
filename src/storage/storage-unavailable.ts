/**
 * The shared store could not be reached (connection refused or lost, pool exhausted past its timeout,
 * statement timeout). Callers fail closed: the request is answered 503 with `Retry-After`, never
 * accepted without the check the store provides (issue 13).
 */
import { ProtocolError } from '../protocol/errors.js';

export class StorageUnavailableError extends ProtocolError {
  constructor() {
    super(503, 'transient', 'Storage unavailable, retry later');
  }
}
