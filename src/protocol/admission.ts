/**
 * Admission control of hook calls, decided before a byte of the body is read. A prefetch call is
 * CPU-bound once its body is parsed (JSON.parse of up to `http.bodyLimitBytes`, then grading), so a cap
 * consulted after parsing sheds nothing: the event loop only ever holds one parsed call at a time while
 * hundreds of bodies wait to be read. Here each service has `maxActive` slots (a call holds one from
 * admission until its answer is sent or the client goes away) and a FIFO queue bounded twice: by count
 * (`maxQueued`; beyond it 503 at once) and by waiting time (`maxQueueWaitMs`; a call that waited longer
 * is answered 503 instead of being served late). 503s carry `Retry-After`.
 */
import type { Request, RequestHandler, Response } from 'express';
import { sendOutcome } from '../auth/outcome.js';

export interface AdmissionLimits {
  /** Calls per service admitted at once (`http.maxConcurrentPerService`). */
  readonly maxActive: number;
  /** Calls per service waiting for a slot (`http.maxQueuedPerService`); 0 = no queue. */
  readonly maxQueued: number;
  /** Longest wait for a slot, ms (`http.maxQueueWaitMs`). */
  readonly maxQueueWaitMs: number;
  /** The `Retry-After` of a 503, seconds. */
  readonly retryAfterSeconds: number;
}

/** Why a call was refused: the queue was full, or the call waited too long in it. */
export type ShedReason = 'queue-full' | 'queue-timeout';

interface Waiter {
  readonly admit: () => void;
  readonly shed: () => void;
  readonly since: number;
  readonly res: Response;
}

interface ServiceSlots {
  readonly key: string;
  active: number;
  readonly queue: Waiter[];
}

/** What one admission controller exposes to tests and metrics. */
export interface Admission {
  readonly middleware: RequestHandler;
  /** Calls holding a slot and calls waiting, per service key. */
  readonly state: (key: string) => { readonly active: number; readonly queued: number };
}

/**
 * Creates the controller.
 * @param limits - slots, queue bound and wait bound
 * @param keyOf - the service a call is for (its admission is per service)
 * @param onShed - observes every refusal, with the service key (metrics)
 */
export function createAdmission(
  limits: AdmissionLimits,
  keyOf: (req: Request) => string,
  onShed: (reason: ShedReason, key: string) => void = () => undefined,
): Admission {
  const services = new Map<string, ServiceSlots>();
  const slotsOf = (key: string): ServiceSlots => {
    let slots = services.get(key);
    if (slots === undefined) {
      slots = { key, active: 0, queue: [] };
      services.set(key, slots);
    }
    return slots;
  };

  const refuse = (res: Response, reason: ShedReason, key: string): void => {
    onShed(reason, key);
    if (res.headersSent || res.destroyed) return;
    res.set('Retry-After', String(limits.retryAfterSeconds));
    sendOutcome(res, 503, 'transient', 'Service busy, retry later');
  };

  /** Hands freed slots to the oldest waiters still connected; one that waited too long is refused. */
  const drain = (slots: ServiceSlots): void => {
    while (slots.active < limits.maxActive && slots.queue.length > 0) {
      const waiter = slots.queue.shift() as Waiter;
      if (waiter.res.destroyed || waiter.res.writableEnded) continue;
      // Timers fire late on a saturated event loop: the wait is measured, not only timed.
      if (performance.now() - waiter.since > limits.maxQueueWaitMs) waiter.shed();
      else waiter.admit();
    }
  };

  const hold = (slots: ServiceSlots, res: Response): void => {
    slots.active += 1;
    // 'close' fires once the answer is sent or the connection dropped, whichever comes first.
    res.once('close', () => {
      slots.active -= 1;
      drain(slots);
    });
  };

  const middleware: RequestHandler = (req, res, next) => {
    const slots = slotsOf(keyOf(req));
    if (slots.active < limits.maxActive && slots.queue.length === 0) {
      hold(slots, res);
      next();
      return;
    }
    if (slots.queue.length >= limits.maxQueued) {
      refuse(res, 'queue-full', slots.key);
      return;
    }
    const leave = (): void => {
      clearTimeout(timer);
      const at = slots.queue.indexOf(waiter);
      if (at >= 0) slots.queue.splice(at, 1);
    };
    const waiter: Waiter = {
      since: performance.now(),
      res,
      admit: () => {
        leave();
        hold(slots, res);
        next();
      },
      shed: () => {
        leave();
        refuse(res, 'queue-timeout', slots.key);
      },
    };
    const timer = setTimeout(() => waiter.shed(), limits.maxQueueWaitMs);
    // A client that gives up while waiting frees its place.
    res.once('close', leave);
    slots.queue.push(waiter);
  };

  return {
    middleware,
    state: (key) => {
      const slots = services.get(key);
      return { active: slots?.active ?? 0, queued: slots?.queue.length ?? 0 };
    },
  };
}
