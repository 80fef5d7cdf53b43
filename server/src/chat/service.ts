import type { ChatResponse, Message, ToolCall } from '../contract.js';
import type { Agent } from '../agent/agent.js';
import type { TaskBackend } from '../tasks/service.js';
import { createTaskTools } from '../tasks/tools.js';
import type { Store, TurnRecord } from '../store/store.js';
import {
  assistantFailed,
  assistantTimeout,
  clientMessageIdReused,
  conversationNotFound,
  HttpError,
  shuttingDown,
  turnInProgress,
} from '../http/errors.js';

/** Who is asking: built once from the verified token. Services never see the request. */
export interface UserContext {
  userId: string;
  /** The caller's bearer token, for a task API that acts as them (TASKS_API_URL). Never stored. */
  token?: string;
}

/** A chat request after validation at the edge. */
export interface TurnInput {
  conversationId: string | null;
  message: string;
  clientMessageId?: string;
}

/** Receives a turn's progress as it happens (the SSE route forwards it; the JSON route ignores it). */
export interface TurnListener {
  start?(info: { conversation_id: string; user_message_id: string }): void;
  delta?(text: string): void;
  toolCall?(call: ToolCall): void;
}

export interface ChatServiceOptions {
  /** How long one answer may take. */
  agentTimeoutMs: number;
  /** How many earlier messages the agent sees. */
  historyLimit?: number;
  /** Where the task tools read and write; the store's `task` table by default. */
  tasks?: TaskBackend;
}

/**
 * One chat turn, statelessly: load from the database, save the user's message, run the agent, save
 * its answer. Nothing survives in memory between requests except the count of turns in flight,
 * which graceful shutdown waits for.
 */
export class ChatService {
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly shutdown = new AbortController();
  private closing = false;

  constructor(
    private readonly store: Store,
    private readonly agent: Agent,
    private readonly options: ChatServiceOptions,
  ) {}

  get agentName(): string {
    return this.agent.name;
  }

  /** Runs a turn to completion, even when the client goes away, so that the answer is saved. */
  runTurn(user: UserContext, input: TurnInput, listener: TurnListener = {}): Promise<ChatResponse> {
    if (this.closing) return Promise.reject(shuttingDown());
    const turn = this.turn(user, input, listener);
    this.inFlight.add(turn);
    const forget = () => this.inFlight.delete(turn);
    turn.then(forget, forget);
    return turn;
  }

  /** Stops accepting turns, waits up to `timeoutMs` for those in flight, then aborts the rest. */
  async drain(timeoutMs: number): Promise<void> {
    this.closing = true;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.shutdown.abort(shuttingDown());
        resolve();
      }, timeoutMs);
    });
    await Promise.race([Promise.allSettled([...this.inFlight]), timedOut]);
    clearTimeout(timer);
    await Promise.allSettled([...this.inFlight]);
  }

  private async turn(user: UserContext, input: TurnInput, listener: TurnListener): Promise<ChatResponse> {
    const leaseMs = this.options.agentTimeoutMs + 5_000;
    const turn = await this.openTurn(user, input, leaseMs);
    listener.start?.({ conversation_id: turn.conversationId, user_message_id: turn.userMessage.id });
    if (turn.reply) {
      // A retry of a turn that was already answered: replay it, store nothing.
      listener.delta?.(turn.reply.content);
      return this.response(turn, turn.reply);
    }

    const history = await this.failingTurn(user, turn, () =>
      this.store.listMessages(user.userId, turn.conversationId, {
        limit: this.options.historyLimit ?? 50,
        before: turn.userMessage.id,
      }),
    );
    const tools = createTaskTools(this.options.tasks?.(user) ?? this.store, user.userId);
    const signal = AbortSignal.any([this.shutdown.signal, AbortSignal.timeout(this.options.agentTimeoutMs)]);
    let text = '';
    try {
      for await (const event of this.agent.run({
        history: history === 'unknown_cursor' ? [] : history.messages,
        message: turn.userMessage.content,
        tools,
        signal,
      })) {
        signal.throwIfAborted();
        if (event.type === 'text') {
          text += event.delta;
          listener.delta?.(event.delta);
        } else {
          listener.toolCall?.(event.call);
        }
      }
      signal.throwIfAborted();
    } catch (error) {
      await this.store.failTurn(user.userId, turn.userMessage.id).catch(() => undefined);
      if (error instanceof HttpError) throw error;
      if (signal.aborted && signal.reason instanceof HttpError) throw signal.reason;
      if (signal.aborted) throw assistantTimeout();
      throw Object.assign(assistantFailed(), { cause: error });
    }

    const reply = await this.failingTurn(user, turn, () =>
      this.store.finishTurn(user.userId, {
        conversationId: turn.conversationId,
        userMessageId: turn.userMessage.id,
        content: text.trim() ? text : 'Done.',
        toolCalls: [...tools.calls],
      }),
    );
    return this.response(turn, reply);
  }

  /**
   * Runs a database step of an open turn. If it fails (the pool timed out under load, the database
   * went away), the turn is marked failed when that can still be written, so the client's retry
   * answers it at once instead of getting 409 until the lease runs out. A reply that was in fact
   * saved stays 'done': `failTurn` only touches a running turn.
   */
  private async failingTurn<T>(user: UserContext, turn: TurnRecord, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      await this.store.failTurn(user.userId, turn.userMessage.id).catch(() => undefined);
      throw error;
    }
  }

  /**
   * Creates the turn, or finds the one a retried `client_message_id` already started: the insert is
   * tried first (one statement on the common path) and the unique index turns a retry into a lookup.
   */
  private async openTurn(user: UserContext, input: TurnInput, leaseMs: number): Promise<TurnRecord> {
    const turn = await this.store.startTurn(user.userId, {
      conversationId: input.conversationId,
      content: input.message,
      clientMessageId: input.clientMessageId,
      leaseMs,
    });
    if (!turn) throw conversationNotFound();
    if (turn.created) return turn;
    // The id names one message: reusing it for different text is a client bug, not a retry.
    if (turn.userMessage.content !== input.message) throw clientMessageIdReused();
    return this.resume(user, turn, leaseMs);
  }

  private async resume(user: UserContext, turn: TurnRecord, leaseMs: number): Promise<TurnRecord> {
    if (turn.reply) return turn;
    if (turn.leased || !(await this.store.claimTurn(user.userId, turn.userMessage.id, leaseMs))) {
      throw turnInProgress();
    }
    return { ...turn, state: 'running', leased: true };
  }

  private response(turn: TurnRecord, reply: Message): ChatResponse {
    return {
      conversation_id: turn.conversationId,
      message: reply.content,
      role: 'assistant',
      created_at: reply.created_at,
      message_id: reply.id,
      user_message_id: turn.userMessage.id,
      tool_calls: reply.tool_calls ?? [],
    };
  }
}
