/**
 * Network isolation for security tests: nock refuses every connection except to the loopback test
 * server (supertest), and records every request nock did not intercept, so a test can assert that
 * nothing tried to leave the process.
 */
import nock from 'nock';

export interface NetGuard {
  /** Hosts of requests that reached nock without an interceptor (attempted escapes). */
  readonly unmatchedHosts: () => readonly string[];
  readonly stop: () => void;
}

const isLoopback = (host: string): boolean => /^(127\.0\.0\.1|localhost|\[::1\]|::1)(:\d+)?$/.test(host);

/** Disables outbound connections (loopback stays open for supertest) and starts recording. */
export function startNetGuard(): NetGuard {
  const unmatched: string[] = [];
  // nock 15 emits the WHATWG Request it could not match.
  const onNoMatch = (req: { url?: string }): void => {
    const host = req.url === undefined ? 'unknown' : new URL(req.url).host;
    if (!isLoopback(host)) {
      unmatched.push(host);
    }
  };
  nock.disableNetConnect();
  nock.enableNetConnect(isLoopback);
  nock.emitter.on('no match', onNoMatch);
  return {
    unmatchedHosts: () => unmatched,
    stop: () => {
      nock.emitter.off('no match', onNoMatch);
      nock.cleanAll();
      nock.enableNetConnect();
    },
  };
}
