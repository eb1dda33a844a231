/**
 * Whether EHR authentication is on, for `/readyz` and the start-up log (config/warnings.ts warns when it is off). No trusted issuers means
 * any caller may invoke the services (contract: "authentication off, with a loud start-up warning").
 */
import type { AuthConfig } from '../config/types.js';

/** What `/readyz` may show about authentication. */
export interface AuthStatus {
  readonly enabled: boolean;
  readonly trustedIssuers: number;
}

/**
 * Summarises the auth configuration.
 * @param auth - the `auth` configuration section
 */
export function authStatus(auth: AuthConfig): AuthStatus {
  return { enabled: auth.trustedIssuers.length > 0, trustedIssuers: auth.trustedIssuers.length };
}
