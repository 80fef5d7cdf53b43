import type { ChatTopic } from './intents.js';

/**
 * Messages that are conversation rather than commands. Each pattern must match the whole (already
 * de-politened) message, so "hi, add milk" still reaches the command parser after its greeting.
 */
const TOPICS: [ChatTopic, RegExp][] = [
  ['greeting', /^(?:hi+|hello+|hey+|hiya|howdy|yo|greetings|hallo|hola|sup|what'?s up|wassup|good (?:morning|afternoon|evening|day))(?: there| assistant| bot| buddy| friend| all)?$/i],
  ['thanks', /^(?:(?:thanks?|thank you|thx|ty|cheers|many thanks|much appreciated|appreciate it)(?: (?:so much|a lot|very much|again|a bunch|mate|buddy))?|(?:great|perfect|awesome|nice|cool|brilliant),? thanks?(?: you)?)$/i],
  ['ack', /^(?:ok(?:ay)?|k|kk|alright|all right|got it|sounds good|perfect|awesome|nice|cool|great|brilliant|good|fine|sure|noted|understood|lol|haha|wow|done|finished|yay|👍|🙂|😊)$/i],
  ['bye', /^(?:bye|goodbye|good bye|bye bye|see (?:you|ya)(?: later)?|cya|good night|gn|later|that'?s all|that'?s it|nothing else|i'?m done|we'?re done|all done|no thanks|no thank you|talk (?:to you )?later)$/i],
  ['identity', /^(?:who|what) (?:are|r) (?:you|u)|^what(?:'s| is) your name|^(?:are|r) (?:you|u) (?:a |an )?(?:bot|ai|human|robot|real|person|chatgpt|gpt|llm|machine)|^who (?:made|built|created) you|^introduce yourself|^tell me about yourself/i],
  ['wellbeing', /^how (?:are|r) (?:you|u|things)|^how'?s it going|^how do you do|^how are you doing|^you ok|^how'?s your day/i],
  ['joke', /^(?:(?:tell|give|share)(?: me| us)? (?:a |another |some |one more )?(?:good |funny |bad )?(?:jokes?|pun)|(?:do you )?know any jokes|got any jokes|(?:a )?jokes?|make me laugh|say something funny|cheer me up)(?: about .+)?$/i],
  ['help', /^(?:help|\?+|commands|options|menu|usage|instructions|examples?|tutorial|guide|start|get started|getting started)$|^what (?:can|do) (?:you|i) (?:do|say|ask|type)|^what should i (?:say|ask|type)|^what (?:are|is) (?:your|the) (?:commands|options|features)|^(?:can|could) you help|^i need (?:some )?help|^help me$|^how (?:do|does|can|should|would|to|could)\b|^what (?:is|are|'s) (?:a |an |the )?(?:tasks?|todos?|to-dos?|todo lists?|to-do lists?|this(?: app| thing)?)$|^explain\b|^what do you know$|^what do you do$/i],
  ['yes', /^(?:yes|yeah|yep|yup|sure|ok(?:ay)?|y|yes please|do it|go ahead|confirm|confirmed|correct|right|absolutely|of course|please do)$/i],
  ['no', /^(?:no|nope|nah|n|no way|don'?t|cancel|never ?mind|nvm|stop|forget it|abort|not now|leave it)$/i],
];

export function chatTopic(text: string): ChatTopic | undefined {
  for (const [topic, pattern] of TOPICS) if (pattern.test(text)) return topic;
  return undefined;
}

/** A plain "yes" to our question; "ok, add milk" is a new request, not a confirmation. */
export function isYes(text: string): boolean {
  return /^(?:yes|yeah|yep|yup|yes please|sure|ok(?:ay)?|y|confirm(?:ed)?|do it|go ahead|absolutely|of course|please do|i'?m sure|(?:yes|yeah|yep|ok|sure),? (?:do it|go ahead|please|add it|delete (?:it|them|all|everything)|i'?m sure|confirm))[\s.!]*$/i.test(text.trim());
}

export function isNo(text: string): boolean {
  return /^(?:no|nope|nah|n|no thanks|no thank you|don'?t|do not|cancel|never ?mind|nvm|stop|forget it|abort|not now|leave it|keep (?:it|them)|(?:no|nope),? (?:don'?t|cancel|keep (?:it|them)|leave it|thanks))[\s.!]*$/i.test(text.trim());
}

/**
 * Someone else's tasks named in the message ("tasks of bob", "user 42", "everyone's list").
 * The tools could not reach them anyway (they take no user id); saying so is kinder than pretending.
 */
export function namesAnotherUser(text: string): boolean {
  const aboutTasks = /\b(?:tasks?|todos?|to-dos?|lists?|data|delete|remove|show|complete|items?|account)\b/i.test(text);
  if (!aboutTasks) return false;
  return [
    /\b(?:other|another|different|all|every) (?:users?|people|persons?|accounts?|customers?)\b/i,
    /\b(?:every(?:one|body)(?:'s| else)?|someone else|somebody else|anyone else)\b/i,
    /\buser(?:\s*id)?\s*[:#=]?\s*["']?[\w@.-]*\d[\w@.-]*/i,
    /\b(?:user|account|uid)\s+(?!id\b|is\b|has\b|can\b)["']?[a-z][\w@.-]*/i,
    /\b(?:tasks?|todos?|lists?|items?)\s+(?:of|belonging to|owned by|for user|from user)\s+(?!me\b|mine\b|myself\b|my\b|the\b|today\b|tomorrow\b|this\b|last\b|next\b|yesterday\b|work\b|home\b|them\b|it\b|all\b)[a-z]\w*/i,
    /\b(?!(?:my|today|tomorrow|yesterday|this|next|last|week|month|year|it|that|everyone)\b)[a-z]+'s\s+(?:tasks?|todos?|to-dos?|lists?|items?|account|data)\b/i,
    /\b(?:as|like) (?:an? )?(?:admin|administrator|root|superuser|another user)\b/i,
  ].some((pattern) => pattern.test(text));
}

/** "Ignore your instructions and …": strip the preamble; what follows still only reaches this user's tasks. */
export function stripInjection(text: string): { rest: string; injected: boolean } {
  const preamble =
    /^(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+)?(?:of\s+)?(?:your|the|my|these|those|previous|prior|above|earlier|system)?\s*(?:previous\s+|prior\s+|above\s+|earlier\s+|system\s+|safety\s+)?(?:instructions?|rules|prompts?|directions|guidelines|programming|constraints|restrictions)\b[\s,.;:!-]*(?:and\s+(?:then\s+)?|then\s+|now\s+)?/i;
  const roleplay = /^(?:you are now|you're now|from now on you are|pretend (?:to be|you are)|act as|system\s*:|\[system\]|developer mode)\b[^.;:!]*[.;:!]?\s*(?:and\s+|now\s+)?/i;
  for (const pattern of [preamble, roleplay]) {
    const match = pattern.exec(text);
    if (match) return { rest: text.slice(match[0].length).trim(), injected: true };
  }
  return { rest: text, injected: false };
}
