/**
 * Deep freeze: a configuration is read-only everywhere it is used (the server, the CLI, replay workers,
 * which get theirs cloned).
 * @param value - plain data
 * @returns the same value, frozen with everything it holds
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) {
      deepFreeze(child);
    }
    Object.freeze(value);
  }
  return value;
}
