/** Raised for a cohort that cannot be replayed; its message is one line naming the file, line and field. */
export class CohortError extends Error {}
