/**
 * Small pure text helpers shared by the parser, the resolver and the responder.
 * Nothing here keeps state, so the built-in agent stays deterministic.
 */

/**
 * Curly quotes typed by phones become plain ones and runs of spaces one space, so one set of patterns
 * fits all. Line breaks stay (each line may be a command); control characters go (the parser uses two).
 */
export function plainPunctuation(text: string): string {
  return text
    .replace(/[\u201C\u201D\u201E\u00AB\u00BB]/g, '"')
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u0000-\u0009\u000B-\u001F\u007F]/g, ' ')
    .replace(/[^\S\n]+/g, ' ')
    .replace(/ *\n[\s]*/g, '\n')
    .trim();
}

const ARTICLES = new Set(['the', 'a', 'an', 'my', 'our', 'your', 'this', 'that']);
const FILLER = new Set([...ARTICLES, 'to', 'of', 'for', 'and', 'on', 'in', 'at', 'with', 'some']);

/** Lower case, no accents, no punctuation, no leading article: the form titles are compared in. */
export function normalizeTitle(text: string): string {
  let words = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && ARTICLES.has(words[0]!)) words = words.slice(1);
  return words.join(' ');
}

/** The words of a title that carry meaning, roughly stemmed ("walking the dogs" → walk, dog). */
export function contentWords(normalized: string): string[] {
  const words = normalized.split(' ').filter((w) => w && !FILLER.has(w));
  return (words.length ? words : normalized.split(' ').filter(Boolean)).map(stem);
}

/** Just enough stemming for "walked"/"walking" to find "walk"; both sides are stemmed alike. */
function stem(word: string): string {
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3);
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2);
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1);
  return word;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, rows[i - 2]![j - 2]! + 1);
      rows[i]!.push(best);
    }
  }
  return rows[a.length]![b.length]!;
}

/** How many typos a word or phrase of this length may carry and still count as the same. */
export function typoBudget(length: number): number {
  return length < 4 ? 0 : length < 8 ? 1 : 2;
}

/** True when `a` is `b` with at most `budget` typos; cheap when the lengths already differ too much. */
export function withinTypos(a: string, b: string, budget: number): boolean {
  return Math.abs(a.length - b.length) <= budget && editDistance(a, b) <= budget;
}

const ORDINAL_WORDS: Record<string, number> = {
  first: 1, second: 2, third: 3, fourth: 4, fifth: 5, sixth: 6, seventh: 7, eighth: 8, ninth: 9, tenth: 10,
  eleventh: 11, twelfth: 12, thirteenth: 13, fourteenth: 14, fifteenth: 15, twentieth: 20,
};
const NUMBER_WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, twenty: 20,
};

/** "3", "three", "third", "3rd" → 3; "last" → -1; anything else → undefined. */
export function positionOf(word: string): number | undefined {
  const w = word.toLowerCase();
  if (/^\d{1,4}$/.test(w)) return Number(w) || undefined;
  const suffixed = /^(\d{1,4})(?:st|nd|rd|th)$/.exec(w);
  if (suffixed) return Number(suffixed[1]) || undefined;
  if (w === 'last' || w === 'final') return -1;
  return ORDINAL_WORDS[w] ?? NUMBER_WORDS[w];
}

/** Escapes what markdown would otherwise interpret in a user's title. */
export function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_~[\]<>#|])/g, '\\$1');
}

export function unescapeMarkdown(text: string): string {
  return text.replace(/\\([\\`*_~[\]<>#|])/g, '$1');
}

/** A small stable hash, for picking among canned replies without randomness. */
export function stableHash(text: string): number {
  let hash = 2166136261;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 16777619);
  return hash >>> 0;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
