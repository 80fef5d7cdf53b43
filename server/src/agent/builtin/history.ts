import type { Message, Task, ToolCall } from '../../contract.js';
import { QUESTION } from './intents.js';
import { unescapeMarkdown } from './text.js';

/** One line of a numbered list the assistant showed, with the task id when the history still knows it. */
export interface ShownItem {
  title: string;
  id?: string;
}

/** An open question from the assistant's last message, and the user message it was about. */
export interface OpenQuestion {
  kind: 'clarify' | 'confirm' | 'title';
  /** The user's request the question was about (what "yes" or "the second one" completes). */
  request: string;
}

/** What the conversation so far tells the agent. Read fresh from the history on every turn. */
export interface ConversationView {
  /** The numbered list the assistant showed last, for "task 3" and "the last one". */
  shownList?: ShownItem[];
  /** The tasks the assistant's last message acted on, for "it" and "them". */
  lastTouched: ShownItem[];
  question?: OpenQuestion;
}

/**
 * Reads what "task 3", "it" and "yes" refer to from the stored history: the agent keeps nothing in
 * memory, so the same history always gives the same view. `isRequest` tells a command from an answer,
 * so an answer to a repeated question still finds the command it completes.
 */
export function readConversation(history: readonly Message[], isRequest: (text: string) => boolean): ConversationView {
  const view: ConversationView = { lastTouched: [] };
  const lastIndex = history.findLastIndex((m) => m.role === 'assistant');
  const last = history[lastIndex];
  if (!last) return view;

  for (let i = lastIndex; i >= 0 && !view.shownList; i--) {
    const message = history[i]!;
    if (message.role === 'assistant') view.shownList = shownList(message);
  }
  view.lastTouched = touched(last);

  const kind = questionKind(last.content);
  if (kind) {
    // Walk back past earlier rounds of the same question ("which one?" → "milk" → "which one?").
    for (let i = lastIndex - 1; i >= 0; i--) {
      const message = history[i]!;
      if (message.role !== 'user') continue;
      if (isRequest(message.content) || i === 0) {
        view.question = { kind, request: message.content };
        break;
      }
      const before = history[i - 1];
      if (!before || before.role !== 'assistant' || !questionKind(before.content)) {
        view.question = { kind, request: message.content };
        break;
      }
    }
  }
  return view;
}

function questionKind(content: string): OpenQuestion['kind'] | undefined {
  if (content.includes(QUESTION.confirm)) return 'confirm';
  if (content.includes(QUESTION.clarify) || content.includes(QUESTION.which)) return 'clarify';
  if (content.includes(QUESTION.title)) return 'title';
  return undefined;
}

const isTask = (value: unknown): value is Task =>
  !!value && typeof value === 'object' && typeof (value as Task).id === 'string' && typeof (value as Task).title === 'string';

/**
 * The last numbered list in a message ("1. Buy milk", "2. ✅ ~~Call mom~~ — note"). Items get their ids
 * from the same message's list_tasks result, matching equal titles in order, so even two tasks with the
 * same title stay apart.
 */
function shownList(message: Message): ShownItem[] | undefined {
  const lines = message.content.split('\n');
  const items: { title: string; line: string }[] = [];
  for (const line of lines) {
    const match = /^\s*(\d+)[.)]\s+(.+)$/.exec(line);
    if (!match) continue;
    // A "1." starts a new list (the last one wins); a number out of sequence is not a list of ours.
    const n = Number(match[1]);
    if (n === 1) items.length = 0;
    else if (n !== items.length + 1) {
      items.length = 0;
      continue;
    }
    items.push({ title: cleanItem(match[2]!.split(' — ')[0]!), line: cleanItem(match[2]!) });
  }
  if (!items.length) return undefined;

  const listed = (message.tool_calls ?? [])
    .filter((call) => call.name === 'list_tasks' && Array.isArray(call.result))
    .flatMap((call) => (call.result as unknown[]).filter(isTask));
  const used = new Set<string>();
  return items.map(({ title, line }) => {
    // A title may itself contain " — ": then the whole line is the title.
    const task = listed.find((t) => !used.has(t.id) && (t.title.trim() === title || t.title.trim() === line));
    if (!task) return { title };
    used.add(task.id);
    return { title: task.title, id: task.id };
  });
}

function cleanItem(text: string): string {
  return unescapeMarkdown(
    text
      .replace(/^(?:✅|☑️|✔️|✔|⬜|☐|\[[ xX]\])\s*/u, '')
      .replace(/^~~(.*)~~$/, '$1')
      .replace(/^\*\*(.*)\*\*$/, '$1')
      .replace(/^`(.*)`$/, '$1')
      .trim(),
  );
}

/** Tasks the message's tool calls acted on (not mere look-ups), or the single task it listed. */
function touched(message: Message): ShownItem[] {
  const acted = (message.tool_calls ?? []).filter((call: ToolCall) => call.name !== 'list_tasks' && isTask(call.result));
  if (acted.length) {
    const seen = new Map<string, ShownItem>();
    for (const call of acted) {
      const task = call.result as Task;
      seen.set(task.id, { id: task.id, title: task.title });
    }
    return [...seen.values()];
  }
  const shown = shownList(message);
  return shown?.length === 1 ? shown : [];
}
