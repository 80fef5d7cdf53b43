import type { Message, ToolCall } from '../contract.js';
import type { TaskTools } from '../tasks/tools.js';

/** What an agent sees of one turn. The user is fixed by the verified token, never by the model. */
export interface AgentTurn {
  /** Earlier messages of the conversation, oldest first (the current message is not among them). */
  history: Message[];
  /** The user's new message. */
  message: string;
  /** The five task tools, already bound to the authenticated user. */
  tools: TaskTools;
  /** Aborted when the turn times out or the server shuts down. */
  signal: AbortSignal;
}

/** What an agent produces, in order: pieces of its answer and the tool calls it made. */
export type AgentEvent = { type: 'text'; delta: string } | { type: 'tool_call'; call: ToolCall };

/**
 * The seam between the chat turn and whatever answers it (the built-in agent or a model).
 * Agents keep no state between turns: everything they know comes from `AgentTurn`.
 */
export interface Agent {
  readonly name: string;
  run(turn: AgentTurn): AsyncIterable<AgentEvent>;
}
