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

const graphemes = new Intl.Segmenter();

/** At most `max` characters, cut between graphemes so an emoji is never split into broken halves. */
function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const kept: string[] = [];
  for (const { segment } of graphemes.segment(flat)) {
    if (kept.length === max) return `${kept.slice(0, max - 1).join('').trimEnd()}…`;
    kept.push(segment);
  }
  return flat;
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

  /** Renames a conversation. Not a new activity: `updated_at` (the list order) stays as it was. */
  async renameConversation(userId: string, id: string, title: string): Promise<ConversationSummary | undefined> {
    const [row] = await this.db('conversation').where({ user_id: userId, id }).update({ title }, CONVERSATION_COLUMNS);
    return row && toSummary(row as ConversationRow);
  }

  /** Deletes a conversation and, by cascade, its messages. False when it is not the user's. */
  async deleteConversation(userId: string, id: string): Promise<boolean> {
    // `returning` gives the same answer on pg and PGlite (knex-pglite returns its raw result, not a count, for a plain delete).
    const deleted = await this.db('conversation').where({ user_id: userId, id }).delete(['id']);
    return deleted.length > 0;
  }

  // ---- messages ----

  /**
   * Messages oldest first, in insertion order. With `limit`, the newest `limit` messages older than
   * `before` (or the newest overall), found through the (conversation_id, seq) index in one query.
   */
  async listMessages(
    userId: string,
    conversationId: string,
    page: { limit?: number; before?: string } = {},
  ): Promise<MessagePage | 'unknown_cursor'> {
    const scope = { user_id: userId, conversation_id: conversationId };
    const query = this.db('message').select(MESSAGE_COLUMNS).where(scope);
    if (page.before) {
      query.andWhere('seq', '<', this.db('message').select('seq').where({ ...scope, id: page.before }));
    }
    let messages: MessageRow[];
    let has_more = false;
    if (page.limit === undefined) {
      messages = await query.orderBy('seq', 'asc');
    } else {
      const rows: MessageRow[] = await query.orderBy('seq', 'desc').limit(page.limit + 1);
      has_more = rows.length > page.limit;
      messages = rows.slice(0, page.limit).reverse();
    }
    // An empty page may mean the cursor is not in this conversation: only then look it up.
    if (page.before && messages.length === 0) {
      const cursor = await this.db('message').select('id').where({ ...scope, id: page.before }).first();
      if (!cursor) return 'unknown_cursor';
    }
    return { messages: messages.map(toMessage), has_more };
  }

  /** The turn a client message id started, with its reply when there is one (one query). */
  async findTurn(userId: string, clientMessageId: string): Promise<TurnRecord | undefined> {
    const row = await this.db('message as u')
      .leftJoin('message as r', function () {
        this.on('r.reply_to', '=', 'u.id').andOn('r.user_id', '=', 'u.user_id');
      })
      .select([...MESSAGE_COLUMNS.map((c) => `u.${c}`), ...MESSAGE_COLUMNS.map((c) => `r.${c} as reply_${c}`)])
      .where({ 'u.user_id': userId, 'u.client_message_id': clientMessageId })
      .first();
    if (!row) return undefined;
    const reply = row.reply_id
      ? Object.fromEntries(MESSAGE_COLUMNS.map((c) => [c, row[`reply_${c}`]]))
      : undefined;
    const user = row as MessageRow;
    return {
      conversationId: user.conversation_id,
      userMessage: toMessage(user),
      state: user.turn_state ?? 'done',
      leased: user.turn_state === 'running' && !!user.turn_lease_until && new Date(user.turn_lease_until) > new Date(),
      reply: reply && toMessage(reply as unknown as MessageRow),
    };
  }

  /**
   * Saves the user's message and opens its turn in ONE statement (so no transaction round trips),
   * creating the conversation when `conversationId` is null (titled after the first message), or
   * bumping the existing one — which must be the user's, else `undefined` and nothing is written.
   * When the same `clientMessageId` was already used, nothing is written and the existing turn is
   * returned with `created` unset: the caller treats the request as a retry.
   */
  async startTurn(
    userId: string,
    input: { conversationId: string | null; content: string; clientMessageId?: string; leaseMs: number },
  ): Promise<TurnRecord | undefined> {
    const preview = shorten(input.content, PREVIEW_LENGTH);
    const conversation =
      input.conversationId === null
        ? this.db.raw(
            `insert into conversation (user_id, title, last_message_preview, message_count) values (?, ?, ?, 1) returning id`,
            [userId, shorten(input.content, TITLE_LENGTH), preview],
          )
        : this.db.raw(
            `update conversation set message_count = message_count + 1, last_message_preview = ?, updated_at = now()
             where user_id = ? and id = ? returning id`,
            [preview, userId, input.conversationId],
          );
    try {
      const result = await this.db.raw(
        `with c as (?)
         insert into message (user_id, conversation_id, role, content, client_message_id, turn_state, turn_lease_until)
         select ?, c.id, 'user', ?, ?, 'running', now() + ? * interval '1 millisecond' from c
         returning ${MESSAGE_COLUMNS.join(', ')}`,
        [conversation, userId, input.content, input.clientMessageId ?? null, input.leaseMs],
      );
      const row = result.rows[0] as MessageRow | undefined;
      if (!row) return undefined;
      return { conversationId: row.conversation_id, userMessage: toMessage(row), state: 'running', leased: true, created: true };
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
   * Saves the assistant's answer, closes the turn and bumps the conversation, in one statement.
   * If a concurrent retry already answered this turn, nothing is written and that answer is returned.
   */
  async finishTurn(
    userId: string,
    turn: { conversationId: string; userMessageId: string; content: string; toolCalls: ToolCall[] },
  ): Promise<Message> {
    try {
      const result = await this.db.raw(
        `with reply as (
           insert into message (user_id, conversation_id, role, content, reply_to, tool_calls)
           values (?, ?, 'assistant', ?, ?, ?::jsonb)
           returning ${MESSAGE_COLUMNS.join(', ')}
         ), closed as (
           update message set turn_state = 'done', turn_lease_until = null where user_id = ? and id = ?
         ), bumped as (
           update conversation set message_count = message_count + 1, last_message_preview = ?, updated_at = now()
           where user_id = ? and id = ?
         )
         select * from reply`,
        [
          userId, turn.conversationId, turn.content, turn.userMessageId,
          turn.toolCalls.length ? JSON.stringify(turn.toolCalls) : null,
          userId, turn.userMessageId,
          shorten(turn.content, PREVIEW_LENGTH), userId, turn.conversationId,
        ],
      );
      return toMessage(result.rows[0] as MessageRow);
    } catch (error) {
      if (!isUniqueViolation(error, 'message_reply_to_uq')) throw error;
      const reply = await this.db('message')
        .select(MESSAGE_COLUMNS)
        .where({ user_id: userId, reply_to: turn.userMessageId })
        .first();
      return toMessage(reply as MessageRow);
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
