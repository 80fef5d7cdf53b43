import { chatTopic, namesAnotherUser, stripInjection } from './chat.js';
import type { ChatTopic, Command, Parsed, Ref, Status } from './intents.js';
import { parseRefs } from './refs.js';
import { plainPunctuation } from './text.js';

export interface ParseOptions {
  /** The user said "yes" to our question about this message: do what it asked without asking again. */
  confirmed?: boolean;
}

/**
 * Message → what the user wants. Pure and deterministic. A message may hold several commands
 * ("add milk, then show my list"); it is split only when every piece reads as a command (or as small
 * talk such as "thanks"), otherwise it is read whole, so "add salt and pepper" stays one title.
 */
export function parse(message: string, options: ParseOptions = {}): Parsed {
  const quotes = protectQuotes(plainPunctuation(message));
  const clauses = quotes.text
    .split(/\s*(?:[;\n]+|(?<=[.!?])\s+(?=\S)|,?\s+and then\s+|,\s*then\s+|\s+then\s+(?=[a-z]+\b)|,\s*also\s+|,\s*(?:and\s+)?(?=(?:add|delete|remove|complete|mark|show|list|rename|change|update|finish)\b)|\s+and\s+(?=(?:add|delete|remove|complete|mark|show|list|rename|finish|tell me what|what'?s)\b))\s*/i)
    .filter((c) => c.replace(/[\s.!?,]+/g, ''));
  if (clauses.length > 1) {
    const parsed = clauses.map((c) => parseClause(c, quotes.restore, options));
    const fillers: ChatTopic[] = ['greeting', 'thanks', 'ack'];
    const commands = parsed.flatMap((p) => (p.kind === 'commands' ? p.commands : []));
    if (commands.length && parsed.every((p) => p.kind === 'commands' || (p.kind === 'chat' && fillers.includes(p.topic)))) {
      return { kind: 'commands', commands };
    }
  }
  return parseClause(quotes.text.replace(/\n/g, ' '), quotes.restore, options);
}

/** True when the message asks for something to be done to tasks (used to find the question's origin). */
export function isCommand(message: string): boolean {
  const parsed = parse(message);
  return parsed.kind === 'commands' || parsed.kind === 'suggest_add' || parsed.kind === 'ask_title';
}

type Restore = (text: string, keepQuotes?: boolean) => string;

function parseClause(raw: string, restore: Restore, options: ParseOptions): Parsed {
  let text = stripPolite(raw);
  if (!text) return { kind: 'chat', topic: raw.trim() ? 'ack' : 'unknown' };
  if (namesAnotherUser(restore(text))) return { kind: 'chat', topic: 'other_user' };
  const injection = stripInjection(text);
  if (injection.injected) {
    text = stripPolite(injection.rest);
    if (!text) return { kind: 'chat', topic: 'injection' };
  }
  const topic = chatTopic(text);
  if (topic && topic !== 'yes' && topic !== 'no') return { kind: 'chat', topic };
  if (REOPEN.test(text)) return { kind: 'chat', topic: 'reopen' };

  const command =
    update(text, restore) ??
    bulk(text, options) ??
    complete(text, restore) ??
    remove(text, restore) ??
    add(text, restore) ??
    list(text);
  if (command === 'ask_title') return { kind: 'ask_title' };
  if (command) return { kind: 'commands', commands: [command] };

  const need = /^(?:i\s+(?:really\s+|still\s+|also\s+)?(?:need|have|got|must|should|ought|want)\s+to|i'?ve got to|i gotta|gotta|need to|have to|must|don'?t forget to)\s+(.+)$/i.exec(text);
  if (need && !/^(?:know|understand|ask|see|talk|chat|think|go to bed|sleep|relax|rest)\b/i.test(need[1]!)) {
    const title = restore(need[1]!);
    return options.confirmed ? { kind: 'commands', commands: [{ kind: 'add', titles: [title] }] } : { kind: 'suggest_add', title };
  }
  if (topic) return { kind: 'chat', topic };
  if (injection.injected) return { kind: 'chat', topic: 'injection' };
  if (/\b(?:tasks?|todos?|to-?dos?|lists?|chores?|reminders?|productiv\w*|procrastinat\w*|deadlines?)\b/i.test(text)) {
    return { kind: 'chat', topic: 'about_tasks' };
  }
  return { kind: 'chat', topic: 'unknown' };
}

/** Quoted strings become placeholders so that no pattern splits or trims inside them. */
function protectQuotes(text: string): { text: string; restore: Restore } {
  const saved: string[] = [];
  const keep = (_: string, before: string, inner: string) => `${before}\u0001${saved.push(inner.trim()) - 1}\u0002`;
  const protectedText = text.replace(/(^|[^\w])"([^"]+)"/g, keep).replace(/(^|[\s:(])'([^']+)'(?=$|[\s.,!?:;)])/g, keep);
  const restore: Restore = (s, keepQuotes = false) =>
    s.replace(/\u0001(\d+)\u0002/g, (_, i: string) => (keepQuotes ? `"${saved[Number(i)]}"` : saved[Number(i)]!)).trim();
  return { text: protectedText, restore };
}

const PREFIXES = [
  /^(?:hey|hi|hello|ok(?:ay)?|alright|all right|so|well|um+|uh+|oh|right|great|cool|thanks|thank you|thx|yo|now|also|and|then|oh and|btw|by the way|quick one|actually|sorry|excuse me)\b[\s,.!:;-]+(?=\S)/i,
  /^(?:please|pls|plz|kindly|just)\b[\s,]*/i,
  /^(?:could|can|would|will|won'?t|might)\s+(?:you|u|ya)\b[\s,]*(?:please\s+|pls\s+|kindly\s+|just\s+|quickly\s+|also\s+)*(?:help\s+me\s+(?:to\s+)?)?/i,
  /^(?:i'?d|i would|i'?d really)\s+(?:like|love)\s+(?:you\s+)?to\s+|^i\s+(?:want|need)\s+you\s+to\s+|^i\s+(?:want|wanna)(?:\s+to)?\s+(?=(?:add|create|see|view|delete|remove|complete|finish|mark|rename|change|update|list|show|check|know)\b)/i,
  /^(?:let'?s|let me|go ahead and|help me(?:\s+to)?|time to|i'?m going to|i will|i'?ll)\s+(?=\S)/i,
  /^(?:is it possible to|is there a way to|any chance you could|do you mind|i'?d (?:love|like|appreciate) it if you(?: could| would| can)?|it would be (?:great|nice|awesome) if you(?: could| would)?|would you be so kind as to)\s+/i,
];

/** Drops politeness and filler around the request: "could you please add milk for me, thanks!" → "add milk". */
function stripPolite(raw: string): string {
  let text = raw.trim();
  for (let changed = true; changed; ) {
    changed = false;
    for (const prefix of PREFIXES) {
      const next = text.replace(prefix, '');
      if (next !== text && next.trim()) {
        text = next.trim();
        changed = true;
      }
    }
    const trimmed = text
      .replace(/[\s,]*\b(?:please|pls|plz|thanks|thank you|thx|ty|for me|real quick|quickly|right now|asap|if you can|if you could|if possible|when you can|cheers|mate)\s*[.!?…]*$/i, '')
      .replace(/[\s.!?…,:;-]+$/, '')
      .replace(/\s*(?:🙏|🙂|😊|👍)+$/u, '')
      .trim();
    if (trimmed !== text && trimmed) {
      text = trimmed;
      changed = true;
    }
  }
  return text;
}

const REOPEN =
  /^(?:un-?(?:complete|check|mark|do|tick)|re-?open|restore|undo|revert)\b|^(?:mark|set|make|put)\s+.+\s+(?:as\s+|to\s+|back\s+to\s+)?(?:not done|not complete(?:d)?|not finished|incomplete|undone|unfinished|pending|open|to ?do|active)$/i;

const DONE_WORD = '(?:done|complete|completed|finished|checked(?: off)?|ticked(?: off)?|crossed off)';

function refsOrUndefined(phrase: string, restore: Restore): Ref[] | 'all' | undefined {
  const refs = parseRefs(restore(phrase, true));
  return refs === 'all' || refs.length ? refs : undefined;
}

function update(text: string, restore: Restore): Command | undefined {
  const description: [RegExp, number, number][] = [
    [/^(?:change|set|update|edit|modify|make|replace)\s+(?:the\s+)?(?:description|desc|details?|notes?)\s+(?:of|for|on|in)\s+(.+?)\s*(?:\s(?:to|as|with|into)\s|:|=)\s*(.+)$/i, 1, 2],
    [/^(?:change|set|update|edit|modify)\s+(.+?)(?:'s|s')\s+(?:description|desc|details?|notes?)\s*(?:\s(?:to|as)\s|:|=)\s*(.+)$/i, 1, 2],
    [/^(?:add|attach|put|give|write)\s+(?:a\s+|the\s+|this\s+)?(?:description|desc|details?|notes?)\s+(?:to|for|on)\s+(.+?)\s*(?::|\s-\s|\ssaying\s|\sthat says\s|\swhich says\s)\s*(.+)$/i, 1, 2],
    [/^(?:add|attach|put|give|write)\s+(?:a\s+|the\s+)?(?:description|desc|details?|notes?)\s*:?\s*(\u0001\d+\u0002)\s+(?:to|for|on)\s+(.+)$/i, 2, 1],
    [/^describe\s+(.+?)\s+as\s+(.+)$/i, 1, 2],
    [/^(?!(?:add|create|new|make|put|insert|append|remind|remember|jot|note|write|task|todo)\b)(.+?)\s+(?:description|desc|notes?)\s*(?::|=|should be|should say)\s*(.+)$/i, 1, 2],
  ];
  for (const [pattern, refAt, valueAt] of description) {
    const match = pattern.exec(text);
    const ref = match && refsOrUndefined(match[refAt]!, restore);
    if (match && Array.isArray(ref) && ref.length === 1) {
      return { kind: 'update', ref: ref[0]!, description: restore(match[valueAt]!) };
    }
  }
  const title: RegExp[] = [
    /^(?:rename|retitle|re-title|re-name)\s+(.+?)\s+(?:to|as|into|->|→|=>)\s+(.+)$/i,
    /^(?:change|update|edit|modify|set|switch|correct|fix|make)\s+(?:the\s+)?(?:title|name|wording|text|label)\s+(?:of|for|on|in)\s+(.+?)\s+(?:to|as|into|->|→)\s+(?:say\s+|read\s+)?(.+)$/i,
    /^(?:change|update|edit|modify|switch|correct|fix)\s+(.+?)(?:'s\s+(?:title|name))?\s+(?:to|into|->|→|=>)\s+(?:say\s+|read\s+|be\s+)?(.+)$/i,
    /^(.+?)\s+should\s+(?:be\s+called|be\s+named|be\s+renamed\s+to|say|read)\s+(.+)$/i,
    /^replace\s+(.+?)\s+with\s+(.+)$/i,
    /^(?:rename|retitle)\s+(.+?)\s+(\u0001\d+\u0002)$/i,
    /^call\s+(.+?)\s+(\u0001\d+\u0002)\s+instead$/i,
  ];
  for (const pattern of title) {
    const match = pattern.exec(text);
    const ref = match && refsOrUndefined(match[1]!, restore);
    if (match && Array.isArray(ref) && ref.length === 1) {
      const newTitle = restore(match[2]!).replace(/^["']|["']$/g, '').trim();
      if (newTitle) return { kind: 'update', ref: ref[0]!, title: newTitle };
    }
  }
  return undefined;
}

const ALL_TASKS =
  '(?:all|everything|every(?:\\s+single)?\\s+(?:task|item|todo|thing)|all\\s+(?:of\\s+)?(?:my\\s+|the\\s+)?(?:tasks?|todos?|to-dos?|items?|things)|(?:my|the)\\s+(?:whole\\s+|entire\\s+)?(?:todo\\s+|to-do\\s+|task\\s+)?list|(?:my|the)\\s+(?:whole\\s+|entire\\s+)?tasks)';

/** "mark all done", "delete everything", "clear completed": whole-list requests. */
function bulk(text: string, options: ParseOptions): Command | undefined {
  const DELETE = '(?:delete|remove|clear|erase|wipe|purge|trash|get rid of|nuke|empty|clean up|clean out|drop)';
  if (new RegExp(`^${DELETE}\\s+(?:out\\s+)?(?:all\\s+(?:of\\s+)?)?(?:the\\s+|my\\s+)?(?:completed|finished|done|checked(?:[- ]off)?|ticked(?:[- ]off)?|old)(?:\\s+(?:ones|tasks?|todos?|items?|things))?(?:\\s+(?:from|off)\\s+(?:my|the)\\s+list)?$`, 'i').test(text)) {
    return { kind: 'delete_all', status: 'completed', confirmed: !!options.confirmed };
  }
  if (new RegExp(`^${DELETE}\\s+(?:out\\s+)?${ALL_TASKS}(?:\\s+(?:from|off|on)\\s+(?:my|the)\\s+list)?$|^(?:start over|start fresh|reset my (?:tasks|list))$`, 'i').test(text)) {
    return { kind: 'delete_all', status: 'all', confirmed: !!options.confirmed };
  }
  if (
    new RegExp(`^(?:mark|set|flag)\\s+${ALL_TASKS}\\s+(?:as\\s+)?${DONE_WORD}$`, 'i').test(text) ||
    new RegExp(`^(?:mark|set)\\s+(?:as\\s+)?${DONE_WORD}\\s+${ALL_TASKS}$`, 'i').test(text) ||
    new RegExp(`^(?:complete|finish|check off|tick off|cross off|close)\\s+${ALL_TASKS}$`, 'i').test(text) ||
    new RegExp(`^${ALL_TASKS}\\s+(?:is|are)\\s+(?:now\\s+)?${DONE_WORD}$`, 'i').test(text) ||
    /^i(?:'ve| have)?\s+(?:done|finished|completed)\s+(?:all|everything|all (?:of )?my tasks)$/i.test(text)
  ) {
    return { kind: 'complete_all' };
  }
  return undefined;
}

function complete(text: string, restore: Restore): Command | undefined {
  const patterns: RegExp[] = [
    new RegExp(`^(?:mark|set|flag|make|put)\\s+(.+?)\\s+(?:as\\s+|to\\s+)?${DONE_WORD}$`, 'i'),
    new RegExp(`^(?:mark|set|flag)\\s+(?:as\\s+)?${DONE_WORD}\\s*:?\\s+(.+)$`, 'i'),
    /^(?:complete|completed|finish|finished|close|resolve|check\s+off|tick\s+off|cross\s+off|strike(?:\s+(?:out|off|through))?|knock\s+out|wrap\s+up|done\s+with|done\s*:)\s+(.+?)$/i,
    /^(?:check|tick|cross|strike|knock)\s+(.+?)\s+off(?:\s+(?:my|the)\s+(?:\w+\s+)?list)?$/i,
    /^(?:i(?:'ve|\s+have)?|ive)\s+(?:just\s+|already\s+|finally\s+)?(?:done|did|finished|completed|wrapped\s+up|took\s+care\s+of|taken\s+care\s+of)\s+(.+)$/i,
    new RegExp(`^(?!(?:i|we|you|they|he|she|i'm|we're|you're|everyone|this chat|today|what|which|how|who|why|when|where|are|is|was|were|did|do|does|has|have)\\b)(.+?)\\s+(?:is|are|was|were|has been|have been|'s)\\s+(?:now\\s+|all\\s+|finally\\s+)?(?:${DONE_WORD.slice(3, -1)}|taken care of|sorted|handled)$`, 'i'),
    new RegExp(`^(?!(?:i|we|you|they|all|i'm|we're|you're|so|almost|nearly|not|job|well|what|what's|which|who|how|show|list|tell|give|see|view|is|are|am|anything|everything|have|has|did|do|does|get)\\b)(.+?)\\s*(?::|-|—|\\s)\\s*${DONE_WORD}$`, 'i'),
    new RegExp(`^((?:task|item|number|no\\.?)\\s*#?\\s*\\S+|#\\d+|\\u0001\\d+\\u0002|the\\s+\\w+\\s+(?:one|task))\\s+${DONE_WORD}$`, 'i'),
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const refs = refsOrUndefined(match[1]!.replace(/\s+(?:already|now)$/i, ''), restore);
    if (refs === 'all') return { kind: 'complete_all' };
    if (refs) return { kind: 'complete', refs };
  }
  return undefined;
}

function remove(text: string, restore: Restore): Command | undefined {
  const patterns: RegExp[] = [
    /^(?:delete|remove|erase|drop|trash|discard|scrap|cancel|nuke|ditch|dump|bin|get\s+rid\s+of|forget(?:\s+about)?|clear|strike|eliminate|axe)\s+(.+?)(?:\s+(?:off|out|away))?(?:\s+(?:from|off|of|on)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks|todos))?$/i,
    /^take\s+(.+?)\s+(?:off|out\s+of|from)\s+(?:my|the)\s+(?:\w+\s+)?(?:list|tasks)$/i,
    /^i\s+(?:don'?t|do not|no longer)\s+(?:need|have|want)\s+(?:to\s+)?(.+?)\s+(?:anymore|any more|any longer)$/i,
  ];
  for (const pattern of patterns) {
    const match = pattern.exec(text);
    if (!match) continue;
    const refs = refsOrUndefined(match[1]!, restore);
    // "delete everything" without the bulk wording is still a bulk delete: confirm it first.
    if (refs === 'all') return { kind: 'delete_all', status: 'all', confirmed: false };
    if (refs) return { kind: 'delete', refs };
  }
  return undefined;
}

const ADD_VERB =
  /^(?:add|create|make|new|insert|append|put|jot(?:\s+down)?|note(?:\s+down)?|write(?:\s+down)?|remind\s+me\s+to|remember\s+to|don'?t\s+let\s+me\s+forget\s+to|i\s+(?:need|have)\s+to\s+remember\s+to|set\s+(?:up\s+)?a\s+reminder\s+(?:to|for)|schedule|task\s*:|todo\s*:|to-do\s*:|new\s+task\s*:)(?=\s|$|\u0001)\s*(.*)$/i;

/** Imperative verbs that start a typical task: "buy milk and call mom" is two tasks. */
const TASK_VERBS =
  /^(?:buy|get|call|email|e-mail|text|pay|clean|fix|write|read|book|send|pick|take|walk|wash|water|cook|finish|schedule|prepare|review|submit|renew|return|order|visit|feed|go|make|check|plan|do|bake|print|sign|file|mow|vacuum|cancel|reply|ring|meet|study|practice|practise|learn|pack|charge|update|backup|back|iron|sweep|repair|post|mail|collect|drop|bring|grab|finish|start|organize|organise|tidy|throw|empty|change|replace|install|register|apply|ask|tell|thank|invite|plant)\b/i;

function add(text: string, restore: Restore): Command | 'ask_title' | undefined {
  const match = ADD_VERB.exec(text);
  if (!match) return undefined;
  let rest = match[1]!.trim();
  // "add to my list: milk", "put on my list milk"
  rest = rest.replace(/^(?:to|on|onto)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks)\s*:?\s*/i, '');
  const marker = /^(?:(?:a|an|the|another|one|1|some|more|new|few|couple(?:\s+of)?|two|three)\s+)*(?:new\s+)?(task|todo|to-do|to do|item|entry|reminder|thing)(s?)\b\s*(?::|called|named|titled|that says|saying|to|for|about|of|-)?\s*/i.exec(rest);
  const singular = !!marker && marker[2] === '';
  if (marker) rest = rest.slice(marker[0].length);
  rest = rest
    .replace(/\s+(?:to|on|onto|in|into)\s+(?:my|the)\s+(?:todo\s+|to-do\s+|task\s+)?(?:list|tasks|todos)$/i, '')
    .replace(/\s+as\s+(?:a\s+)?(?:new\s+)?(?:task|todo|to-do|reminder)$/i, '')
    .replace(/^["'](.*)["']$/, '$1')
    .trim();
  if (!rest) return marker || /^(?:add|create|new)$/i.test(text) ? 'ask_title' : undefined;
  if (/^(?:a\s+)?(?:task|todo|list)s?$/i.test(rest)) return 'ask_title';

  let description: string | undefined;
  const described =
    /^(.+?)\s+(?:with|w\/)\s+(?:the\s+|a\s+)?(?:description|desc|details?|notes?)\s*(?::|of|saying|that says)?\s*(.+)$/i.exec(rest) ??
    /^(.+?)\s*[,;-]\s*(?:description|desc|details?|notes?)\s*:\s*(.+)$/i.exec(rest);
  if (described) {
    rest = described[1]!;
    description = restore(described[2]!);
  }
  const titles = singular || description ? [rest] : splitTitles(rest);
  const command: Command = { kind: 'add', titles: titles.map((t) => restore(t)).filter(Boolean) };
  if (description !== undefined) command.description = description;
  return command.titles.length ? command : 'ask_title';
}

/**
 * "milk and eggs" → two; "milk, eggs and bread" → three; "buy milk and call mom" → two (each starts
 * with a verb); "research and development report" → one (an "and" inside a title stays).
 */
function splitTitles(text: string): string[] {
  const pieces = text.split(/\s*,\s*(?:and\s+|&\s+)?|\s+(?:and|&|plus)\s+/i).map((p) => p.trim()).filter(Boolean);
  if (pieces.length < 2) return [text];
  const oneWord = pieces.every((p) => /^\S+$/.test(p));
  const verbs = pieces.every((p) => TASK_VERBS.test(p));
  return text.includes(',') || oneWord || verbs ? pieces : [text];
}

const PENDING_WORDS =
  /\b(?:pending|open|remaining|left|outstanding|(?:anything|something|else|more|stuff|things) to do|unfinished|incomplete|undone|uncompleted|unchecked|not (?:yet )?(?:done|completed|finished|complete)|active|due|still|yet to|(?:have|need|got|left|should) (?:to )?do|should i do|to be done|next|on my plate|waiting)\b/i;
const DONE_WORDS = /\b(?:completed|complete|finished|done|checked off|ticked off|accomplished|closed|crossed off)\b/i;
const LIST_OBJECT =
  /\b(?:tasks?|todos?|to-?dos?|lists?|items?|everything|agenda|plate|pending|completed|done|finished|remaining|left|open|outstanding|what|stuff|things|all|them|progress|status)\b/i;

function list(text: string): Command | undefined {
  const status = (): Status => (PENDING_WORDS.test(text) ? 'pending' : DONE_WORDS.test(text) ? 'completed' : 'all');
  const noDates = /\b(?:today|tonight|tomorrow|this (?:week|morning|afternoon|evening|month)|later)\b/i.test(text) || undefined;
  const listed = (countOnly?: boolean): Command => {
    const command: Command = { kind: 'list', status: status() };
    if (countOnly) command.countOnly = true;
    if (noDates) command.noDates = true;
    return command;
  };
  if (/^how (?:many|much)\b/i.test(text)) {
    return /\b(?:tasks?|todos?|to-?dos?|items?|things|left|pending|remaining|to do|done|completed|finished|open)\b/i.test(text) ? listed(true) : undefined;
  }
  const verb = /^(?:show|list|display|view|see|get|give|tell|read|print|fetch|pull up|bring up|open|check|review|recap|summari[sz]e|remind me(?: of)?|what about|go over|go through)\b(.*)$/i.exec(text);
  if (verb) return !verb[1]!.trim() || LIST_OBJECT.test(verb[1]!) ? listed() : undefined;
  if (/^(?:what|which|whats|what're)\b/i.test(text)) {
    const asks = /\b(?:pending|left|remaining|outstanding|open|on my (?:list|plate|agenda)|my (?:tasks|todos|to-?dos|list|agenda)|(?:have|need|got|left|still|yet|should) (?:i |we )?(?:to )?do|done|completed|finished|accomplished|due|next|planned|do i have|have i got|i have|did i (?:complete|finish|do|get done|tick off|check off)|tasks? do i|tasks? are there|on the list|in my list|is there)\b/i;
    return asks.test(text) ? listed() : undefined;
  }
  if (/^(?:do|have|did|am|is|are|any)\s+(?:i|there|we|my)?\b.*\b(?:tasks?|todos?|to-?dos?|anything|something|left|pending|due|to do|remaining|outstanding|everything)\b/i.test(text)) {
    return listed();
  }
  if (/^(?:my\s+|all\s+(?:my\s+)?|the\s+|current\s+)?(?:pending\s+|open\s+|completed\s+|finished\s+|done\s+|remaining\s+|outstanding\s+|active\s+|current\s+)?(?:tasks?|todos?|to-?dos?|to-?do list|todo list|task list|list|agenda)$/i.test(text)) {
    return listed();
  }
  if (/^(?:pending|completed|done|finished|remaining|open|outstanding|progress|status|overview|summary|what'?s left|where am i|where was i)(?:\s+(?:ones|tasks|items|stuff))?$/i.test(text)) {
    return listed();
  }
  if (/^any(?:thing)?\s+(?:tasks?\s+)?(?:left|pending|due|remaining|open|outstanding|else to do|to do)$/i.test(text)) return listed();
  return undefined;
}
