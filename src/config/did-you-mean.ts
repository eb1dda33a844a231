/**
 * "Did you mean" hints for configuration keys and code systems: a site's typo should name the key it
 * meant, not just say "unknown".
 */

/** Edit distance (insertions, deletions, substitutions) between two strings, case-insensitive. */
export function levenshtein(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const row = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      row.push(Math.min((previous[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, substitution));
    }
    previous = row;
  }
  return previous[y.length] ?? 0;
}

/**
 * The candidate closest to `input`, when it is close enough to be a plausible typo: at most a third of
 * the input's length (and at least 2) edits away.
 * @param input - what the site wrote
 * @param candidates - the valid names at that place (sibling keys, known systems)
 */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(2, Math.floor(input.length / 3));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = levenshtein(input, name);
    if (distance <= limit && (best === undefined || distance < best.distance)) {
      best = { name, distance };
    }
  }
  return best?.name;
}
