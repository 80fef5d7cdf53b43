// A simulated widget user and the database check the load and fault benches share.
// Not a bench by itself: bench/load-chat.ts and bench/fault-restart.ts import it.
import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { token } from './lib.js';

/** What one HTTP attempt ended with: a status, or `network` when no response came back. */
export interface Attempt {
  status: number | 'network';
  code?: string;
  body?: unknown;
  ms: number;
}

/** One message the user got an answer to, and what it cost. */
export interface SentTurn {
  clientMessageId: string;
  content: string;
  userMessageId: string;
  replyId: string;
  /** From the first attempt to the answer, retries and waits included. */
  ms: number;
  attempts: number;
}

export interface SendHooks {
  /** Awaited before every attempt (the fault bench holds retries here while it inspects the database). */
  beforeAttempt?(): Promise<void>;
  /** Called for every attempt that did not answer 200. */
  onFailure?(attempt: Attempt): void;
  /** No new attempt starts after this time (ms since the epoch); the send then throws. */
  deadline: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Sends messages one at a time, in order, as the widget does: every message has a `client_message_id`,
 * and a network error, a 5xx or a `409 turn_in_progress` is retried with the SAME id, so the server
 * stores the message once whatever happens to the connection.
 */
export class SimulatedUser {
  conversationId: string | null = null;
  readonly sent: SentTurn[] = [];
  private auth = '';

  constructor(
    readonly id: string,
    /** The server to use for the n-th message (0-based), so users can alternate between instances. */
    private readonly serverFor: (n: number) => string,
  ) {}

  async signIn(): Promise<this> {
    this.auth = `Bearer ${await token(this.id)}`;
    return this;
  }

  async send(content: string, hooks: SendHooks): Promise<SentTurn> {
    const clientMessageId = randomUUID();
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      await hooks.beforeAttempt?.();
      if (Date.now() > hooks.deadline) {
        throw new Error(`${this.id}: message ${this.sent.length} still unanswered after ${attempt - 1} attempts`);
      }
      const base = this.serverFor(this.sent.length);
      const t0 = performance.now();
      let response: Response;
      try {
        response = await fetch(`${base}/api/${this.id}/chat`, {
          method: 'POST',
          headers: { authorization: this.auth, 'content-type': 'application/json' },
          body: JSON.stringify({ message: content, conversation_id: this.conversationId, client_message_id: clientMessageId }),
          signal: AbortSignal.timeout(30_000),
        });
      } catch {
        hooks.onFailure?.({ status: 'network', ms: performance.now() - t0 });
        await sleep(backoff(attempt));
        continue;
      }
      const body = (await response.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      if (response.status === 200 && body) {
        this.conversationId ??= body.conversation_id as string;
        const turn: SentTurn = {
          clientMessageId,
          content,
          userMessageId: body.user_message_id as string,
          replyId: body.message_id as string,
          ms: performance.now() - started,
          attempts: attempt,
        };
        this.sent.push(turn);
        return turn;
      }
      const failure: Attempt = { status: response.status, code: body?.code as string | undefined, body, ms: performance.now() - t0 };
      hooks.onFailure?.(failure);
      // Only what the widget retries: 4xx other than 409 is a bug in this bench, not a transient fault.
      if (response.status < 500 && response.status !== 409) {
        throw new Error(`${this.id}: chat answered ${response.status} ${JSON.stringify(body)}`);
      }
      const retryAfter = Number(response.headers.get('retry-after'));
      // A 409 means the same turn is still being answered: wait as asked. Otherwise back off, at most 1 s,
      // so the bench sees the database come back promptly.
      await sleep(response.status === 409 && retryAfter > 0 ? retryAfter * 1000 : backoff(attempt));
    }
  }
}

/** `Map.groupBy`, which Node 20 does not have. */
function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

const backoff = (attempt: number) => Math.min(1_000, 100 * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);

export interface DatabaseCheck {
  users: number;
  expectedTurns: number;
  userRows: number;
  assistantRows: number;
  /** Sent and answered messages that are not in the database. */
  lost: number;
  /** Messages stored more than once (same client id or content), or more than one reply to one message. */
  duplicated: number;
  /** Stored messages not at their place: user messages in sent order, each followed by its own reply. */
  outOfOrder: number;
  /** User messages without a reply, or a turn not marked done. */
  unanswered: number;
  /** Conversations per user other than exactly the one the user wrote to, or a wrong message_count. */
  conversationErrors: number;
  /** The first few problems, in words. */
  problems: string[];
}

interface Row {
  id: string;
  user_id: string;
  conversation_id: string;
  role: 'user' | 'assistant';
  content: string;
  client_message_id: string | null;
  reply_to: string | null;
  turn_state: string | null;
}

/**
 * Reads every message of `users` straight from the database (not through the API under test) and
 * checks, per conversation in `seq` order, that the user messages are exactly the sequence each
 * user sent and answered, each immediately followed by the one reply that answers it.
 */
export async function checkDatabase(db: Knex, users: SimulatedUser[]): Promise<DatabaseCheck> {
  const ids = users.map((u) => u.id);
  const rows: Row[] = await db('message')
    .select('id', 'user_id', 'conversation_id', 'role', 'content', 'client_message_id', 'reply_to', 'turn_state')
    .whereIn('user_id', ids)
    .orderBy('seq', 'asc');
  const conversations: { id: string; user_id: string; message_count: number }[] = await db('conversation')
    .select('id', 'user_id', 'message_count')
    .whereIn('user_id', ids);

  const check: DatabaseCheck = {
    users: users.length,
    expectedTurns: users.reduce((n, u) => n + u.sent.length, 0),
    userRows: rows.filter((r) => r.role === 'user').length,
    assistantRows: rows.filter((r) => r.role === 'assistant').length,
    lost: 0,
    duplicated: 0,
    outOfOrder: 0,
    unanswered: 0,
    conversationErrors: 0,
    problems: [],
  };
  const problem = (text: string) => void (check.problems.length < 10 && check.problems.push(text));

  const byUser = groupBy(rows, (r) => r.user_id);
  for (const user of users) {
    const mine = byUser.get(user.id) ?? [];
    const convs = conversations.filter((c) => c.user_id === user.id);
    if (user.sent.length && (convs.length !== 1 || convs[0]!.id !== user.conversationId)) {
      check.conversationErrors++;
      problem(`${user.id} has ${convs.length} conversations, expected exactly ${user.conversationId}`);
    }
    for (const c of convs) {
      const stored = mine.filter((r) => r.conversation_id === c.id).length;
      if (c.message_count !== stored) {
        check.conversationErrors++;
        problem(`${user.id}: conversation ${c.id} says message_count ${c.message_count} but holds ${stored}`);
      }
    }

    const userRows = mine.filter((r) => r.role === 'user');
    const seen = new Map<string, number>();
    for (const r of userRows) seen.set(r.client_message_id ?? r.id, (seen.get(r.client_message_id ?? r.id) ?? 0) + 1);
    const contents = new Map<string, number>();
    for (const r of userRows) contents.set(r.content, (contents.get(r.content) ?? 0) + 1);
    check.duplicated += [...seen.values(), ...contents.values()].filter((n) => n > 1).length;
    const replies = groupBy(mine.filter((r) => r.role === 'assistant'), (r) => r.reply_to ?? '');
    check.duplicated += [...replies.values()].filter((list) => list.length > 1).length;

    for (const turn of user.sent) {
      if (!seen.has(turn.clientMessageId)) {
        check.lost++;
        problem(`${user.id}: "${turn.content}" was answered but is not in the database`);
      }
    }

    // The whole conversation, position by position: user i at 2i, its reply at 2i + 1.
    for (const [i, turn] of user.sent.entries()) {
      const asked = mine[2 * i];
      const answered = mine[2 * i + 1];
      const inPlace =
        asked?.role === 'user' && asked.id === turn.userMessageId && asked.client_message_id === turn.clientMessageId &&
        asked.content === turn.content && answered?.role === 'assistant' && answered.reply_to === asked.id &&
        answered.id === turn.replyId;
      if (!inPlace) {
        check.outOfOrder++;
        problem(`${user.id}: message ${i} ("${turn.content}") is not followed by its reply at its place`);
      }
    }
    if (mine.length !== 2 * user.sent.length) problem(`${user.id}: ${mine.length} rows for ${user.sent.length} turns`);

    for (const r of userRows) {
      if (r.turn_state !== 'done' || !replies.has(r.id)) {
        check.unanswered++;
        problem(`${user.id}: "${r.content}" is ${r.turn_state} with ${replies.has(r.id) ? 'a' : 'no'} reply`);
      }
    }
  }
  return check;
}

/** Removes the bench's own users' conversations (messages go by cascade); the shared tables stay. */
export async function removeUsers(db: Knex, users: SimulatedUser[]): Promise<void> {
  const ids = users.map((u) => u.id);
  for (let i = 0; i < ids.length; i += 100) await db('conversation').whereIn('user_id', ids.slice(i, i + 100)).delete();
}

export const isClean = (c: DatabaseCheck) =>
  c.lost + c.duplicated + c.outOfOrder + c.unanswered + c.conversationErrors === 0 && c.userRows === c.expectedTurns;
