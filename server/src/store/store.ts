import type { Knex } from 'knex';
import type { ConversationSummary, Message, Role, Task, ToolCall } from '../contract.js';
import {
  isUniqueViolation,
  migrateDown,
  migrateLatest,
  openDatabase,
  type DatabaseOptions,
} from './database.js';

/** A user message and the state of the turn it started. */
export interface TurnRecord {
  conversationId: string;
  userMessage: Message;
  state: 'running' | 'done' | 'failed';
  /** True while another request holds the turn (its lease has not run out). */
  leased: boolean;
  reply?: Message;
  /** True when this call created the turn (rather than finding one a concurrent request made). */
  created?: boolean;
}

export interface MessagePage {
  messages: Message[];
  has_more: boolean;
}

export interface TaskFilter {
  status?: 'all' | 'pending' | 'completed';
}

const PREVIEW_LENGTH = 120;
const TITLE_LENGTH = 80;

const iso = (value: Date | string) => new Date(value).toISOString();

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
}

interface MessageRow {
  id: string;
  conversation_id: string;
  role: Role;
  content: string;
  created_at: Date;
  tool_calls: ToolCall[] | null;
  turn_state: TurnRecord['state'] | null;
  turn_lease_until: Date | null;
}

function toMessage(row: MessageRow): Message {
  const message: Message = { id: row.id, role: row.role, content: row.content, created_at: iso(row.created_at) };
  if (row.role === 'assistant' && row.tool_calls?.length) message.tool_calls = row.tool_calls;
  return message;
}

interface ConversationRow {
  id: string;
  title: string | null;
  last_message_preview: string | null;
  message_count: number;
  created_at: Date;
  updated_at: Date;
}

function toSummary(row: ConversationRow): ConversationSummary {
  return {
    id: row.id,
    title: row.title,
    last_message_preview: row.last_message_preview,
    message_count: Number(row.message_count),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  completed: boolean;
  created_at: Date;
  updated_at: Date;
}

function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    title: row.title,
    description: row.description,
    completed: row.completed,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

const MESSAGE_COLUMNS = [
  'id', 'conversation_id', 'role', 'content', 'created_at', 'tool_calls', 'turn_state', 'turn_lease_until',
];
const CONVERSATION_COLUMNS = ['id', 'title', 'last_message_preview', 'message_count', 'created_at', 'updated_at'];
const TASK_COLUMNS = ['id', 'title', 'description', 'completed', 'created_at', 'updated_at'];

/**
 * The only module that talks to the database. Every method takes the user id first and every query
 * filters by it, so one user's request can never read or change another user's rows.
 */
export class Store {
  private constructor(
    private readonly db: Knex,
    private readonly schema: string | undefined,
    readonly kind: 'postgres' | 'pglite',
  ) {}

  static async open(options: DatabaseOptions): Promise<Store> {
    const db = await openDatabase(options);
    return new Store(db, options.schema, options.databaseUrl ? 'postgres' : 'pglite');
  }

  migrate(): Promise<string[]> {
    return migrateLatest(this.db, this.schema);
  }

  rollbackAll(): Promise<string[]> {
    return migrateDown(this.db, this.schema);
  }

  async ping(): Promise<void> {
    await this.db.raw('select 1');
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }

  // ---- conversations ----

  async getConversation(userId: string, id: string): Promise<ConversationSummary | undefined> {
    const row = await this.db('conversation')
      .select(CONVERSATION_COLUMNS)
      .where({ user_id: userId, id })
      .first();
    return row && toSummary(row);
  }

  async listConversations(
    userId: string,
    page: { limit: number; offset: number },
  ): Promise<{ conversations: ConversationSummary[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db('conversation')
        .select(CONVERSATION_COLUMNS)
        .where({ user_id: userId })
        .orderBy([
          { column: 'updated_at', order: 'desc' },
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(page.limit)
        .offset(page.offset),
      this.db('conversation').where({ user_id: userId }).count<{ count: string | number }[]>({ count: '*' }),
    ]);
    return { conversations: rows.map(toSummary), total: Number(count[0]?.count ?? 0) };
  }

  async renameConversation(userId: string, id: string, title: string): Promise<ConversationSummary | undefined> {
    const [row] = await this.db('conversation')
      .where({ user_id: userId, id })
      .update({ title, updated_at: this.db.fn.now() }, CONVERSATION_COLUMNS);
    return row && toSummary(row as ConversationRow);
  }

  /** Deletes a conversation and, by cascade, its messages. False when it is not the user's. */
  async deleteConversation(userId: string, id: string): Promise<boolean> {
    return (await this.db('conversation').where({ user_id: userId, id }).delete()) > 0;
  }

  // ---- messages ----

  /**
   * Messages oldest first, in insertion order. With `limit`, the newest `limit` messages older than
   * `before` (or the newest overall), found through the (conversation_id, seq) index.
   */
  async listMessages(
    userId: string,
    conversationId: string,
    page: { limit?: number; before?: string } = {},
  ): Promise<MessagePage | 'unknown_cursor'> {
    const query = this.db('message')
      .select(MESSAGE_COLUMNS)
      .where({ user_id: userId, conversation_id: conversationId });
    if (page.before) {
      const cursor = await this.db('message')
        .select('seq')
        .where({ user_id: userId, conversation_id: conversationId, id: page.before })
        .first();
      if (!cursor) return 'unknown_cursor';
      query.andWhere('seq', '<', cursor.seq);
    }
    if (page.limit === undefined) {
      const rows = await query.orderBy('seq', 'asc');
      return { messages: rows.map(toMessage), has_more: false };
    }
    const rows = await query.orderBy('seq', 'desc').limit(page.limit + 1);
    const has_more = rows.length > page.limit;
    return { messages: rows.slice(0, page.limit).reverse().map(toMessage), has_more };
  }

  /** The last `count` messages of a conversation, oldest first: what the assistant sees as history. */
  async recentMessages(userId: string, conversationId: string, count: number): Promise<Message[]> {
    const page = await this.listMessages(userId, conversationId, { limit: count });
    return page === 'unknown_cursor' ? [] : page.messages;
  }

  /** The turn a client message id started, with its reply when there is one. */
  async findTurn(userId: string, clientMessageId: string): Promise<TurnRecord | undefined> {
    const user = await this.db('message')
      .select(MESSAGE_COLUMNS)
      .where({ user_id: userId, client_message_id: clientMessageId })
      .first();
    return user && this.toTurn(userId, user);
  }

  private async toTurn(userId: string, user: MessageRow): Promise<TurnRecord> {
    const reply = await this.db('message')
      .select(MESSAGE_COLUMNS)
      .where({ user_id: userId, reply_to: user.id })
      .first();
    return {
      conversationId: user.conversation_id,
      userMessage: toMessage(user),
      state: user.turn_state ?? 'done',
      leased: user.turn_state === 'running' && !!user.turn_lease_until && user.turn_lease_until > new Date(),
      reply: reply && toMessage(reply),
    };
  }

  /**
   * Saves the user's message and opens its turn, creating the conversation when `conversationId` is
   * null (titled after the first message). One transaction: no conversation without its message.
   * Returns `undefined` when the conversation is not the user's, or the existing turn when the same
   * `clientMessageId` won a race.
   */
  async startTurn(
    userId: string,
    input: { conversationId: string | null; content: string; clientMessageId?: string; leaseMs: number },
  ): Promise<TurnRecord | undefined> {
    try {
      return await this.db.transaction(async (trx) => {
        let conversationId = input.conversationId;
        if (conversationId === null) {
          const [created] = await trx('conversation')
            .insert({ user_id: userId, title: shorten(input.content, TITLE_LENGTH) })
            .returning('id');
          conversationId = created.id as string;
        }
        const touched = await trx('conversation')
          .where({ user_id: userId, id: conversationId })
          .update({
            message_count: trx.raw('message_count + 1'),
            last_message_preview: shorten(input.content, PREVIEW_LENGTH),
            updated_at: trx.fn.now(),
          });
        if (touched === 0) return undefined;
        const [row] = await trx('message')
          .insert({
            user_id: userId,
            conversation_id: conversationId,
            role: 'user',
            content: input.content,
            client_message_id: input.clientMessageId ?? null,
            turn_state: 'running',
            turn_lease_until: new Date(Date.now() + input.leaseMs),
          } as never)
          .returning(MESSAGE_COLUMNS);
        return {
          conversationId,
          userMessage: toMessage(row as MessageRow),
          state: 'running',
          leased: true,
          created: true,
        };
      });
    } catch (error) {
      if (input.clientMessageId && isUniqueViolation(error, 'message_client_id_uq')) {
        return this.findTurn(userId, input.clientMessageId);
      }
      throw error;
    }
  }

  /** Takes over a failed or abandoned turn so a retry can answer it. False when someone holds it. */
  async claimTurn(userId: string, userMessageId: string, leaseMs: number): Promise<boolean> {
    const claimed = await this.db('message')
      .where({ user_id: userId, id: userMessageId })
      .andWhere((q) => q.where('turn_state', 'failed').orWhere('turn_lease_until', '<', new Date()))
      .whereNot('turn_state', 'done')
      .update({ turn_state: 'running', turn_lease_until: new Date(Date.now() + leaseMs) });
    return claimed > 0;
  }

  /**
   * Saves the assistant's answer, closes the turn and bumps the conversation, in one transaction.
   * If a concurrent retry already answered this turn, that answer is returned instead.
   */
  async finishTurn(
    userId: string,
    turn: { conversationId: string; userMessageId: string; content: string; toolCalls: ToolCall[] },
  ): Promise<Message> {
    try {
      return await this.db.transaction(async (trx) => {
        const [row] = await trx('message')
          .insert({
            user_id: userId,
            conversation_id: turn.conversationId,
            role: 'assistant',
            content: turn.content,
            reply_to: turn.userMessageId,
            tool_calls: turn.toolCalls.length ? JSON.stringify(turn.toolCalls) : null,
          } as never)
          .returning(MESSAGE_COLUMNS);
        await trx('message')
          .where({ user_id: userId, id: turn.userMessageId })
          .update({ turn_state: 'done', turn_lease_until: null });
        await trx('conversation')
          .where({ user_id: userId, id: turn.conversationId })
          .update({
            message_count: trx.raw('message_count + 1'),
            last_message_preview: shorten(turn.content, PREVIEW_LENGTH),
            updated_at: trx.fn.now(),
          });
        return toMessage(row as MessageRow);
      });
    } catch (error) {
      if (!isUniqueViolation(error, 'message_reply_to_uq')) throw error;
      const reply = await this.db('message')
        .select(MESSAGE_COLUMNS)
        .where({ user_id: userId, reply_to: turn.userMessageId })
        .first();
      return toMessage(reply!);
    }
  }

  /** Marks a turn as failed so that a retry with the same client message id answers it. */
  async failTurn(userId: string, userMessageId: string): Promise<void> {
    await this.db('message')
      .where({ user_id: userId, id: userMessageId, turn_state: 'running' })
      .update({ turn_state: 'failed', turn_lease_until: null });
  }

  // ---- tasks ----

  async listTasks(userId: string, filter: TaskFilter = {}): Promise<Task[]> {
    const query = this.db('task').select(TASK_COLUMNS).where({ user_id: userId }).orderBy('seq', 'asc');
    if (filter.status === 'pending') query.andWhere({ completed: false });
    if (filter.status === 'completed') query.andWhere({ completed: true });
    return (await query).map(toTask);
  }

  async getTask(userId: string, id: string): Promise<Task | undefined> {
    const row = await this.db('task').select(TASK_COLUMNS).where({ user_id: userId, id }).first();
    return row && toTask(row);
  }

  async addTask(userId: string, input: { title: string; description?: string | null }): Promise<Task> {
    const [row] = await this.db('task')
      .insert({ user_id: userId, title: input.title, description: input.description ?? null } as never)
      .returning(TASK_COLUMNS);
    return toTask(row as TaskRow);
  }

  async updateTask(
    userId: string,
    id: string,
    changes: { title?: string; description?: string | null; completed?: boolean },
  ): Promise<Task | undefined> {
    const [row] = await this.db('task')
      .where({ user_id: userId, id })
      .update({ ...changes, updated_at: this.db.fn.now() }, TASK_COLUMNS);
    return row && toTask(row as TaskRow);
  }

  async deleteTask(userId: string, id: string): Promise<Task | undefined> {
    const [row] = await this.db('task').where({ user_id: userId, id }).delete(TASK_COLUMNS);
    return row && toTask(row as TaskRow);
  }
}
