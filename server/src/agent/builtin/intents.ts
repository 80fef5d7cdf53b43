/** What the parser makes of a message: the vocabulary shared by parser, resolver and responder. */

export type Status = 'all' | 'pending' | 'completed';

/** How the user pointed at a task. Positions are 1-based; -1 is "the last one". */
export type Ref =
  | { kind: 'position'; n: number; said: string }
  | { kind: 'title'; text: string; parts?: string[] }
  | { kind: 'pronoun'; plural: boolean };

/** Something to do to the user's tasks. */
export type Command =
  | { kind: 'add'; titles: string[]; description?: string }
  | { kind: 'list'; status: Status; countOnly?: boolean; noDates?: boolean }
  | { kind: 'complete'; refs: Ref[] }
  | { kind: 'complete_all' }
  | { kind: 'update'; ref: Ref; title?: string; description?: string }
  | { kind: 'delete'; refs: Ref[] }
  | { kind: 'delete_all'; status: 'all' | 'completed'; confirmed: boolean };

/** Messages that need an answer but no tool. */
export type ChatTopic =
  | 'greeting'
  | 'thanks'
  | 'ack'
  | 'bye'
  | 'identity'
  | 'wellbeing'
  | 'help'
  | 'joke'
  | 'about_tasks'
  | 'other_user'
  | 'injection'
  | 'reopen'
  | 'yes'
  | 'no'
  | 'unknown';

export type Parsed =
  | { kind: 'commands'; commands: Command[] }
  | { kind: 'chat'; topic: ChatTopic }
  /** "I need to buy milk": probably a task, but we ask before adding it. */
  | { kind: 'suggest_add'; title: string }
  /** "add a task" with no title. */
  | { kind: 'ask_title' };

/**
 * Fixed phrases the responder ends its questions with. The next turn finds the open question by them
 * in the history, which is how a stateless agent remembers what it asked.
 */
export const QUESTION = {
  clarify: 'Which one do you mean?',
  which: 'Which task do you mean?',
  confirm: 'Reply **yes** to confirm.',
  title: 'What should the new task say?',
} as const;
