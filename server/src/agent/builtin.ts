import type { Agent, AgentEvent, AgentTurn } from './agent.js';

/**
 * The offline default agent. Deterministic: the same history and message give the same answer.
 * (The full phrase understanding arrives with the assistant issue; the seam is the real one.)
 */
export class BuiltinAgent implements Agent {
  readonly name = 'builtin';

  async *run(turn: AgentTurn): AsyncIterable<AgentEvent> {
    const text = /^\s*(add|create|new)\s+(a\s+)?task\s*:?\s+(.+)$/i.exec(turn.message);
    if (text) {
      const task = await turn.tools.add_task({ title: text[3]! });
      yield { type: 'tool_call', call: turn.tools.calls.at(-1)! };
      yield* words(`Added "${task.title}" to your tasks.`);
      return;
    }
    if (/\b(list|show|what)\b.*\btasks?\b/i.test(turn.message)) {
      const tasks = await turn.tools.list_tasks({ status: 'all' });
      yield { type: 'tool_call', call: turn.tools.calls.at(-1)! };
      yield* words(
        tasks.length
          ? `You have ${tasks.length} task${tasks.length === 1 ? '' : 's'}:\n${tasks
              .map((t, i) => `${i + 1}. ${t.completed ? '~~' + t.title + '~~' : t.title}`)
              .join('\n')}`
          : 'You have no tasks yet. Try "add task buy milk".',
      );
      return;
    }
    yield* words(
      'I can help you manage your tasks. Try "add task buy groceries" or "show my tasks".',
    );
  }
}

/** Streams a sentence a word at a time, as a model would. */
function* words(text: string): Iterable<AgentEvent> {
  for (const piece of text.match(/\S+\s*|\s+/g) ?? []) yield { type: 'text', delta: piece };
}
