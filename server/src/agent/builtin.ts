import type { Task } from '../contract.js';
import { ToolError } from '../tasks/errors.js';
import type { TaskTools } from '../tasks/tools.js';
import type { Agent, AgentEvent, AgentTurn } from './agent.js';
import { isNo, isYes } from './builtin/chat.js';
import { readConversation, type ConversationView } from './builtin/history.js';
import type { Command, Parsed, Ref } from './builtin/intents.js';
import { isCommand, parse } from './builtin/parser.js';
import { parseAnswerRef } from './builtin/refs.js';
import { needsLookup, plan, type Step, type WorkingTask } from './builtin/resolver.js';
import * as say from './builtin/responder.js';

/**
 * The offline default agent: understands everyday phrasings for the five task tools without a model.
 *
 * Deterministic and stateless: everything it knows comes from the turn (the history says which list
 * "task 3" refers to, what "it" is, and which question "yes" answers), so the same history and message
 * always give the same tool calls and the same words. The tools are bound to the caller, so whatever a
 * message says, only the caller's tasks can be read or changed.
 */
export class BuiltinAgent implements Agent {
  readonly name = 'builtin';

  async *run(turn: AgentTurn): AsyncIterable<AgentEvent> {
    const view = readConversation(turn.history, isCommand);
    const { parsed, answer } = understand(turn.message, view);
    const replies: string[] = [];
    const speak = function* (text: string): Iterable<AgentEvent> {
      yield* words(replies.length ? `\n\n${text}` : text);
      replies.push(text);
    };

    switch (parsed.kind) {
      case 'cancelled':
        return yield* speak(say.cancelledReply());
      case 'chat':
        return yield* speak(say.chatReply(parsed.topic, turn.message));
      case 'suggest_add':
        return yield* speak(say.suggestAddReply(parsed.title));
      case 'ask_title':
        return yield* speak(say.askTitleReply());
    }

    const { tools, signal } = turn;
    let reported = 0;
    /** The tool calls made since the last report, as events (failed calls included: they are in `calls` too). */
    const newCalls = function* (): Iterable<AgentEvent> {
      while (reported < tools.calls.length) yield { type: 'tool_call', call: tools.calls[reported++]! };
    };

    let current: Task[] | undefined;
    if (needsLookup(parsed.commands)) {
      // "delete it" with nothing to point at: ask straight away, no need to look at the list.
      const dry = view.lastTouched.length || answer || !onlyPronouns(parsed.commands) ? undefined : plan(parsed.commands, [], view);
      if (dry && 'question' in dry && dry.question.kind === 'which') return yield* speak(say.questionReply(dry.question));
      signal.throwIfAborted();
      const problems: string[] = [];
      current = await attempt(() => tools.list_tasks({ status: 'all' }), problems);
      yield* newCalls();
      if (!current) return yield* speak(say.toolProblemReply(problems));
    }
    const decided = plan(parsed.commands, current, view, answer);
    if ('question' in decided) return yield* speak(say.questionReply(decided.question));

    for (const step of decided.steps) {
      signal.throwIfAborted();
      const text = await perform(step, tools);
      yield* newCalls();
      if (text) yield* speak(text);
    }
  }
}

/**
 * A tool that refuses its arguments (a title over the limit) or whose task service is down throws a
 * `ToolError`: the agent says what went wrong instead of failing the whole turn.
 */
async function attempt<T>(run: () => Promise<T>, problems: string[]): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof ToolError)) throw error;
    if (!problems.includes(error.detail)) problems.push(error.detail);
    return undefined;
  }
}

/** Runs one planned step through the tools and says what happened. */
async function perform(step: Step, tools: TaskTools): Promise<string> {
  const problems: string[] = [];
  const gone: WorkingTask[] = [];
  /** Runs a tool on each task; a task deleted meanwhile is reported, not fatal. */
  const each = async (tasks: WorkingTask[], run: (task_id: string) => Promise<Task | { error: string }>) => {
    const ok: WorkingTask[] = [];
    for (const task of tasks) {
      const result = await attempt(() => run(task.id!), problems);
      if (result && 'error' in result) gone.push(task);
      else if (result) ok.push(task);
    }
    return ok;
  };
  const report = (text: string) => [text, ...gone.map((t) => say.failedReply(t.title)), ...problems].filter(Boolean).join(' ');

  switch (step.kind) {
    case 'add': {
      const added: WorkingTask[] = [];
      for (const task of step.tasks) {
        const args = step.description === undefined ? { title: task.title } : { title: task.title, description: step.description };
        const result = await attempt(() => tools.add_task(args), problems);
        if (result) {
          task.id = result.id;
          added.push(task);
        }
      }
      return report(added.length ? say.addReply(added, step.description) : '');
    }
    case 'list': {
      const tasks = step.snapshot ?? (await attempt(() => tools.list_tasks({ status: step.status }), problems));
      return tasks ? say.listReply(step.status, tasks, step) : report('');
    }
    case 'complete': {
      const done = await each(step.tasks, (task_id) => tools.complete_task({ task_id }));
      return report(say.completeReply(done, step.already));
    }
    case 'complete_all': {
      const done = await each(step.tasks, (task_id) => tools.complete_task({ task_id }));
      return report(step.tasks.length && !done.length ? '' : say.completeAllReply(done));
    }
    case 'update': {
      const args: { task_id: string; title?: string; description?: string } = { task_id: step.task.id! };
      if (step.title !== undefined) args.title = step.title;
      if (step.description !== undefined) args.description = step.description;
      const ok = await each([step.task], () => tools.update_task(args));
      return report(ok.length ? say.updateReply(step.oldTitle, step.task, step.title, step.description) : '');
    }
    case 'delete': {
      const deleted = await each(step.tasks, (task_id) => tools.delete_task({ task_id }));
      return report(deleted.length ? say.deleteReply(deleted) : '');
    }
    case 'delete_all': {
      if (!step.confirmed) return say.deleteAllReply(step.status, step.tasks, false);
      const deleted = await each(step.tasks, (task_id) => tools.delete_task({ task_id }));
      return report(step.tasks.length && !deleted.length ? '' : say.deleteAllReply(step.status, deleted, true));
    }
    case 'not_found':
      return say.notFoundReply(step.said, step.total, step.shown);
  }
}

/** True when every command points at tasks only with "it"/"them" (or adds, which "it" may refer to). */
function onlyPronouns(commands: readonly Command[]): boolean {
  const refs = commands.flatMap((c) => (c.kind === 'update' ? [c.ref] : 'refs' in c ? c.refs : []));
  return commands.every((c) => c.kind !== 'complete_all' && c.kind !== 'delete_all') && refs.every((r) => r.kind === 'pronoun');
}

type Understood = { parsed: Parsed | { kind: 'cancelled' }; answer?: Ref };

/** Reads the message in the light of the question the assistant asked last, if any. */
function understand(message: string, view: ConversationView): Understood {
  const question = view.question;
  if (question?.kind === 'confirm') {
    if (isYes(message)) return { parsed: parse(question.request, { confirmed: true }) };
    if (isNo(message)) return { parsed: { kind: 'cancelled' } };
  }
  const parsed = parse(message);
  // Only a message that is nothing else can be an answer: "ok" or "thanks" is not a title.
  const unclear = parsed.kind === 'chat' && (parsed.topic === 'unknown' || parsed.topic === 'about_tasks');
  if (question?.kind === 'clarify') {
    if (parsed.kind === 'chat' && isNo(message)) return { parsed: { kind: 'cancelled' } };
    const answer = unclear ? parseAnswerRef(message) : undefined;
    const original = answer && parse(question.request);
    if (answer && original?.kind === 'commands') return { parsed: original, answer };
  }
  if (question?.kind === 'title' && unclear) {
    const titled = parse(`add ${message.trim()}`);
    if (titled.kind === 'commands') return { parsed: titled };
  }
  return { parsed };
}

/** Streams text a word at a time, as a model would. */
function* words(text: string): Iterable<AgentEvent> {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text', delta: piece };
}
