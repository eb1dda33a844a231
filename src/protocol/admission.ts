/**
 * Admission control of hook calls, decided before a byte of the body is read. A prefetch call is
 * CPU-bound once its body arrives (JSON.parse of up to `http.bodyLimitBytes`, then grading, without
 * yielding), so a cap consulted after parsing sheds nothing: hundreds of bodies wait to be read while the
 * event loop grades one after the other. Here each service admits calls while both budgets allow:
 * - `maxActive` calls at once, and
 * - `maxActiveBytes` of declared body (`Content-Length`; a body without one counts as the body limit),
 *   because the CPU a call costs, and so how long it keeps the event loop from answering anyone else,
 *   grows with its size (a call alone is always admitted, whatever its size).
 * A call holds its share from admission until its answer is sent or its client goes away. The others
 * wait in a FIFO queue bounded twice: by count (`maxQueued`; beyond it 503 at once) and by waiting time
 * (`maxQueueWaitMs`; a call that waited longer is answered 503 instead of being served late). 503s carry
 * `Retry-After`.
 */
import type { Request, RequestHandler, Response } from 'express';
import { sendOutcome } from '../auth/outcome.js';

export interface AdmissionLimits {
  /** Calls per service admitted at once (`http.maxConcurrentPerService`). */
  readonly maxActive: number;
  /** Declared body bytes per service admitted at once (`http.maxConcurrentBytesPerService`). */
  readonly maxActiveBytes: number;
  /** What a body without `Content-Length` counts as (`http.bodyLimitBytes`). */
  readonly unknownLengthBytes: number;
  /** Calls per service waiting for admission (`http.maxQueuedPerService`); 0 = no queue. */
  readonly maxQueued: number;
  /** Longest wait for admission, ms (`http.maxQueueWaitMs`). */
  readonly maxQueueWaitMs: number;
  /** The `Retry-After` of a 503, seconds. */
  readonly retryAfterSeconds: number;
}

/** Why a call was refused: the queue was full, or the call waited too long in it. */
export type ShedReason = 'queue-full' | 'queue-timeout';

interface Waiter {
  readonly bytes: number;
  readonly since: number;
  readonly res: Response;
  readonly admit: () => void;
  readonly shed: () => void;
}

interface ServiceBudget {
  readonly key: string;
  calls: number;
  bytes: number;
  readonly queue: Waiter[];
}

/**
 * Creates the admission middleware.
 * @param limits - budgets, queue bound and wait bound
 * @param keyOf - the service a call is for (admission is per service)
 * @param onShed - observes every refusal, with the service key (metrics)
 */
export function createAdmission(
  limits: AdmissionLimits,
  keyOf: (req: Request) => string,
  onShed: (reason: ShedReason, key: string) => void = () => undefined,
): RequestHandler {
  const services = new Map<string, ServiceBudget>();
  const budgetOf = (key: string): ServiceBudget => {
    let budget = services.get(key);
    if (budget === undefined) {
      budget = { key, calls: 0, bytes: 0, queue: [] };
      services.set(key, budget);
    }
    return budget;
  };
  const fits = (budget: ServiceBudget, bytes: number): boolean =>
    budget.calls === 0 || (budget.calls < limits.maxActive && budget.bytes + bytes <= limits.maxActiveBytes);

  const refuse = (res: Response, reason: ShedReason, key: string): void => {
    onShed(reason, key);
    if (res.headersSent || res.destroyed) return;
    res.set('Retry-After', String(limits.retryAfterSeconds));
    sendOutcome(res, 503, 'transient', 'Service busy, retry later');
  };

  /** Admits the oldest waiters still connected while they fit; one that waited too long is refused. */
  const drain = (budget: ServiceBudget): void => {
    for (let head = budget.queue[0]; head !== undefined && fits(budget, head.bytes); head = budget.queue[0]) {
      budget.queue.shift();
      if (head.res.destroyed || head.res.writableEnded) continue;
      // Timers fire late on a saturated event loop: the wait is measured, not only timed.
      if (performance.now() - head.since > limits.maxQueueWaitMs) head.shed();
      else head.admit();
    }
  };

  const hold = (budget: ServiceBudget, bytes: number, res: Response): void => {
    budget.calls += 1;
    budget.bytes += bytes;
    // 'close' fires once the answer is sent or the connection dropped, whichever comes first.
    res.once('close', () => {
      budget.calls -= 1;
      budget.bytes -= bytes;
      drain(budget);
    });
  };

  return (req, res, next) => {
    const budget = budgetOf(keyOf(req));
    const declared = Number(req.headers['content-length']);
    const bytes = Number.isSafeInteger(declared) && declared >= 0 ? declared : limits.unknownLengthBytes;
    if (budget.queue.length === 0 && fits(budget, bytes)) {
      hold(budget, bytes, res);
      next();
      return;
    }
    if (budget.queue.length >= limits.maxQueued) {
      refuse(res, 'queue-full', budget.key);
      return;
    }
    const leave = (): void => {
      clearTimeout(timer);
      const at = budget.queue.indexOf(waiter);
      if (at >= 0) budget.queue.splice(at, 1);
    };
    const waiter: Waiter = {
      bytes,
      since: performance.now(),
      res,
      admit: () => {
        leave();
        hold(budget, bytes, res);
        next();
      },
      shed: () => {
        leave();
        refuse(res, 'queue-timeout', budget.key);
      },
    };
    const timer = setTimeout(() => {
      waiter.shed();
      // A refused waiter at the head may have held back smaller calls behind it.
      drain(budget);
    }, limits.maxQueueWaitMs);
    // A client that gives up while waiting frees its place.
    res.once('close', () => {
      leave();
      drain(budget);
    });
    budget.queue.push(waiter);
  };
}
