/**
 * Whole-word, case-insensitive name matching (E7, O1 device text): "epinephrine" must not match
 * "norepinephrine", and "NRB" must not match inside another word. Letters and digits are word
 * characters; anything else (space, hyphen, slash, parenthesis) is a boundary. A hyphen reads as a space
 * (the safer reading of 6.1, which lists both "blow-by" and "blow by"): charted "High-flow nasal cannula"
 * is the synonym "high flow", not only "nasal cannula" inside it.
 */

/** One occurrence of a name inside a text: [start, end) in the lower-cased text. */
export interface NameMatch {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && WORD_CHAR.test(ch);
}

/**
 * Lower-cases, reads hyphens as spaces and collapses runs of white space, so "Nasal  Cannula" reads as
 * "nasal cannula" and "Hi-Flow" as "hi flow".
 * @param text - any text
 */
export function normaliseName(text: string): string {
  return text.toLowerCase().replace(/[-\u2010\u2011\u2013]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Configured names are few and reused on every resource: normalise each once. */
const normalisedNames = new Map<string, string>();
function normalisedName(name: string): string {
  let hit = normalisedNames.get(name);
  if (hit === undefined) {
    hit = normaliseName(name);
    if (normalisedNames.size < 10_000) normalisedNames.set(name, hit);
  }
  return hit;
}

/**
 * Whole-word occurrences of one name in an already normalised text, from `from` on.
 * @param haystack - text passed through {@link normaliseName}
 * @param name - a configured name (normalised here)
 */
function occurrences(haystack: string, name: string): NameMatch[] {
  const needle = normalisedName(name);
  const found: NameMatch[] = [];
  if (needle === '') return found;
  let from = 0;
  for (;;) {
    const start = haystack.indexOf(needle, from);
    if (start < 0) return found;
    const end = start + needle.length;
    if (!isWordChar(haystack[start - 1]) && !isWordChar(haystack[end])) found.push({ name, start, end });
    from = start + 1;
  }
}

/**
 * True when `name` occurs as a whole word in a text already passed through {@link normaliseName}.
 * @param normalisedText - the normalised text
 * @param name - one configured name
 */
export function containsName(normalisedText: string, name: string): boolean {
  return occurrences(normalisedText, name).length > 0;
}

/**
 * Every whole-word occurrence of any of `names` in `text` (overlapping occurrences included).
 * @param text - the charted text (display, free text)
 * @param names - the configured names or synonyms
 */
export function findNameMatches(text: string, names: readonly string[]): NameMatch[] {
  const haystack = normaliseName(text);
  return names.flatMap((name) => occurrences(haystack, name));
}

/**
 * True when `name` occurs in `text` as a whole word (case-insensitive).
 * @param text - the charted text
 * @param name - one configured name
 */
export function matchesWholeWord(text: string, name: string): boolean {
  return containsName(normaliseName(text), name);
}

/**
 * The longest non-overlapping matches, left to right: of matches that overlap, the longest wins, so
 * "blow-by oxygen mask" is read as one device rather than as "oxygen mask" inside it (O1).
 * @param matches - candidate matches, as from {@link findNameMatches}
 */
export function longestNonOverlapping<T extends NameMatch>(matches: readonly T[]): T[] {
  const byLength = [...matches].sort((a, b) => b.end - b.start - (a.end - a.start) || a.start - b.start);
  const chosen: T[] = [];
  for (const m of byLength) {
    if (chosen.every((c) => m.end <= c.start || m.start >= c.end)) chosen.push(m);
  }
  return chosen.sort((a, b) => a.start - b.start);
}
