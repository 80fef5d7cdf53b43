import type { Ref } from './intents.js';
import { positionOf } from './text.js';

/**
 * Turns the part of a message that names tasks into references: "task 3", "#3", "the third one",
 * "the last one", "it", "them", "tasks 1 and 3", "the milk task", "'Buy milk'".
 * Returns 'all' for "all"/"everything" so the caller can decide what a bulk request means.
 */
export function parseRefs(phrase: string): Ref[] | 'all' {
  const text = tidy(phrase);
  if (!text) return [];
  // A quoted title is taken literally: never split, never read as a position.
  const quoted = /^"([^"]+)"$/.exec(text);
  if (quoted) return [{ kind: 'title', text: quoted[1]!.trim() }];
  if (/^(?:all|everything|every(?: single)? (?:task|one|item|todo)|all (?:of )?(?:my |the |these |those )?(?:tasks?|todos?|items?|ones|of them|them))$/i.test(text)) {
    return 'all';
  }
  if (/^(?:it|that|this|that one|this one|that task|this task|the same one|the one i just (?:added|created|made|mentioned)|the (?:task|one) (?:i|you) just (?:added|created|made))$/i.test(text)) {
    return [{ kind: 'pronoun', plural: false }];
  }
  if (/^(?:them|those|these|both|both of them|those tasks|these tasks|those ones|these ones|the ones i just added)$/i.test(text)) {
    return [{ kind: 'pronoun', plural: true }];
  }
  const single = position(text);
  if (single) return [single];

  // "tasks 1 and 3", "2, 4 and 5", "the first and the third": every piece must be a position.
  const pieces = text
    .replace(/^(?:tasks|items|todos|numbers)\s+/i, '')
    .split(/\s*(?:,\s*(?:and\s+|&\s+)?|\s(?:and|&|plus)\s)\s*/i)
    .filter(Boolean);
  if (pieces.length > 1) {
    const positions = pieces.map(position);
    if (positions.every(Boolean)) return positions as Ref[];
  }

  const title = titleText(text);
  if (!title) return [];
  const parts = title.split(/\s*(?:,\s*(?:and\s+|&\s+)?|\s(?:and|&|plus)\s)\s*/i).filter(Boolean);
  return [parts.length > 1 ? { kind: 'title', text: title, parts } : { kind: 'title', text: title }];
}

/** A reference on its own ("2", "the second one", "oat milk"), as the answer to "which one?". */
export function parseAnswerRef(phrase: string): Ref | undefined {
  const refs = parseRefs(phrase);
  return Array.isArray(refs) && refs.length === 1 ? refs[0] : undefined;
}

function tidy(phrase: string): string {
  return phrase
    .trim()
    .replace(/[\s.!?,;:]+$/, '')
    .replace(/^(?:on|from|in)\s+(?:my|the)\s+list\s+/i, '')
    .replace(/\s+(?:on|from|in|off)\s+(?:my|the)\s+(?:todo |to-do |task )?list$/i, '')
    .replace(/\s+(?:please|for me)$/i, '')
    .trim();
}

const NTH =
  '(\\d{1,4}(?:st|nd|rd|th)?|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|last|final|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)';
const POSITION_PATTERNS = [
  // "task 3", "#3", "3", "number 3", "no. 3", "item #3", "task number three"
  new RegExp(`^(?:(?:the\\s+)?(?:task|todo|to-do|item|entry)\\s+)?(?:(?:number|no\\.?|num|nr\\.?)\\s*)?#?\\s*${NTH}$`, 'i'),
  // "the third one", "the 2nd task", "the last item on the list", "third"
  new RegExp(`^(?:the\\s+)?${NTH}(?:\\s+(?:one|task|todo|to-do|item|entry))?(?:\\s+(?:on|in)\\s+(?:the|my)\\s+list)?$`, 'i'),
];

function position(text: string): Ref | undefined {
  for (const pattern of POSITION_PATTERNS) {
    const match = pattern.exec(text);
    if (!match) continue;
    const word = match[1]!;
    // "one" alone is "it", not "task 1"; "the one" is handled as a title fallback.
    if (/^one$/i.test(word) && !/\d|task|item|number|no|#/i.test(text.replace(/one$/i, ''))) continue;
    const n = positionOf(word);
    if (n) return { kind: 'position', n, said: text };
  }
  return undefined;
}

/** "the task called buy milk", "the one about milk", "the milk task", "'buy milk'" → the title words. */
function titleText(text: string): string {
  return text
    .replace(/^(?:the\s+)?(?:task|todo|to-do|item|entry|one|reminder)s?\s+(?:called|named|titled|that says|saying|about|for|to|with|where|which says)\s+/i, '')
    .replace(/^(?:the\s+)?(?:task|todo|to-do|item|reminder)\s*:\s*/i, '')
    .replace(/^(?:the\s+)?(?:task|todo|to-do)\s+(?=\S)/i, '')
    .replace(/\s+(?:task|todo|to-do|item|one|reminder|thing)$/i, '')
    .replace(/^["'](.*)["']$/, '$1')
    .trim();
}
