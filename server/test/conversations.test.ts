import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Knex } from 'knex';
import type { ConversationSummary, Message } from '../src/contract.js';
import type { Store } from '../src/store/store.js';
import { newUser, testApp, type UserClient } from './helpers.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Starts a conversation with `turns` user messages ("<prefix> 1", "<prefix> 2", …) and returns its id. */
async function conversationWith(user: UserClient, turns: number, prefix = 'message'): Promise<string> {
  const first = await user.chat(`${prefix} 1`).expect(200);
  for (let n = 2; n <= turns; n++) {
    await user.chat(`${prefix} ${n}`, { conversation_id: first.body.conversation_id }).expect(200);
  }
  return first.body.conversation_id;
}

const contents = (messages: Message[]) => messages.map((m) => `${m.role}:${m.content}`);

/**
 * Gives every message of a conversation the same `created_at`, as a burst of inserts inside one clock
 * tick (or one transaction) would: the order must come from insertion, not from the timestamp.
 */
async function tieTimestamps(store: Store, conversationId: string): Promise<void> {
  const db = (store as unknown as { db: Knex }).db;
  await db('message').where({ conversation_id: conversationId }).update({ created_at: '2026-01-01T00:00:00Z' });
}

describe('GET /api/{user_id}/conversations', () => {
  it('lists newest activity first with the seed fields plus title, preview and message count', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const a = await conversationWith(alice, 1, 'alpha');
    const b = await conversationWith(alice, 2, 'bravo');
    const c = await conversationWith(alice, 1, 'charlie');

    let list = (await alice.get('/conversations').expect(200)).body;
    assert.deepEqual(list.conversations.map((s: ConversationSummary) => s.id), [c, b, a]);
    assert.deepEqual({ total: list.total, limit: list.limit, offset: list.offset }, { total: 3, limit: 20, offset: 0 });
    const bravo: ConversationSummary = list.conversations[1];
    assert.deepEqual(Object.keys(bravo).sort(), ['created_at', 'id', 'last_message_preview', 'message_count', 'title', 'updated_at']);
    assert.equal(bravo.title, 'bravo 1');
    assert.equal(bravo.message_count, 4);
    assert.match(bravo.created_at, ISO);
    assert.match(bravo.updated_at, ISO);
    assert.ok(bravo.updated_at >= bravo.created_at);
    const opened = (await alice.get(`/conversations/${b}`).expect(200)).body;
    // The preview is the last message on one line, shortened with an ellipsis when long.
    const last = opened.messages.at(-1).content.replace(/\s+/g, ' ').trim();
    const preview = bravo.last_message_preview!;
    assert.ok(preview === last || (preview.endsWith('…') && last.startsWith(preview.slice(0, -1))), preview);

    // A new message moves the oldest conversation to the top.
    await alice.chat('alpha again', { conversation_id: a }).expect(200);
    list = (await alice.get('/conversations').expect(200)).body;
    assert.deepEqual(list.conversations.map((s: ConversationSummary) => s.id), [a, c, b]);
    assert.equal(list.conversations[0].message_count, 4);
  });

  it('pages with limit and offset, reporting the total, with no gaps or repeats', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    for (let n = 1; n <= 5; n++) await alice.chat(`conversation ${n}`).expect(200);
    const all = (await alice.get('/conversations?limit=100').expect(200)).body.conversations.map((s: ConversationSummary) => s.id);
    assert.equal(all.length, 5);

    const seen: string[] = [];
    for (let offset = 0; offset < 5; offset += 2) {
      const page = (await alice.get(`/conversations?limit=2&offset=${offset}`).expect(200)).body;
      assert.deepEqual({ total: page.total, limit: page.limit, offset: page.offset }, { total: 5, limit: 2, offset });
      seen.push(...page.conversations.map((s: ConversationSummary) => s.id));
    }
    assert.deepEqual(seen, all);
    const past = (await alice.get('/conversations?offset=5').expect(200)).body;
    assert.deepEqual(past.conversations, []);
    assert.equal(past.total, 5);
    assert.equal((await alice.get('/conversations?limit=1').expect(200)).body.conversations.length, 1);
  });

  it("shows only the caller's conversations", async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    await conversationWith(alice, 1, 'alice secret');
    const mine = await conversationWith(bob, 1, 'bob');
    const list = (await bob.get('/conversations').expect(200)).body;
    assert.deepEqual(list.conversations.map((s: ConversationSummary) => s.id), [mine]);
    assert.equal(list.total, 1);
    const fresh = await as(newUser());
    assert.deepEqual((await fresh.get('/conversations').expect(200)).body, { conversations: [], total: 0, limit: 20, offset: 0 });
  });
});

describe('GET /api/{user_id}/conversations/{id}', () => {
  it('returns every message oldest first, in the order stored, even when timestamps tie', async () => {
    const { as, store } = await testApp();
    const alice = await as(newUser());
    const id = await conversationWith(alice, 12);
    const before = (await alice.get(`/conversations/${id}`).expect(200)).body;
    assert.deepEqual(Object.keys(before).sort(), ['created_at', 'has_more', 'id', 'messages', 'title', 'updated_at']);
    assert.equal(before.has_more, false);
    assert.equal(before.messages.length, 24);
    const users = before.messages.filter((m: Message) => m.role === 'user').map((m: Message) => m.content);
    assert.deepEqual(users, Array.from({ length: 12 }, (_, i) => `message ${i + 1}`));
    assert.deepEqual(before.messages.map((m: Message) => m.role), Array.from({ length: 24 }, (_, i) => (i % 2 ? 'assistant' : 'user')));
    for (const message of before.messages) {
      assert.match(message.id, /^[0-9a-f-]{36}$/);
      assert.match(message.created_at, ISO);
    }

    await tieTimestamps(store, id);
    const after = (await alice.get(`/conversations/${id}`).expect(200)).body;
    assert.deepEqual(after.messages.map((m: Message) => m.id), before.messages.map((m: Message) => m.id));
    assert.ok(after.messages.every((m: Message) => m.created_at === '2026-01-01T00:00:00.000Z'));
  });

  it('keeps the order of a burst of turns sent at once', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const id = await conversationWith(alice, 1);
    // Concurrent turns land in whatever order the database commits them; the history must then stay put.
    await Promise.all(Array.from({ length: 6 }, (_, n) => alice.chat(`burst ${n}`, { conversation_id: id }).expect(200)));
    const first = (await alice.get(`/conversations/${id}`).expect(200)).body.messages as Message[];
    assert.equal(first.length, 14);
    for (let read = 0; read < 3; read++) {
      const again = (await alice.get(`/conversations/${id}`).expect(200)).body.messages as Message[];
      assert.deepEqual(again.map((m) => m.id), first.map((m) => m.id));
    }
    const paged = (await alice.get(`/conversations/${id}?limit=14`).expect(200)).body.messages as Message[];
    assert.deepEqual(paged.map((m) => m.id), first.map((m) => m.id));
  });

  for (const limit of [7, 10, 1, 30]) {
    it(`walks the whole history back ${limit} at a time with before, with has_more right and nothing lost`, async () => {
      const { as, store } = await testApp();
      const alice = await as(newUser());
      const id = await conversationWith(alice, 15);
      if (limit === 7) await tieTimestamps(store, id);
      const whole = (await alice.get(`/conversations/${id}`).expect(200)).body.messages as Message[];
      assert.equal(whole.length, 30);

      let page = (await alice.get(`/conversations/${id}?limit=${limit}`).expect(200)).body;
      const walked: Message[] = [...page.messages];
      const sizes = [page.messages.length];
      while (page.has_more) {
        const cursor = walked[0]!.id;
        page = (await alice.get(`/conversations/${id}?limit=${limit}&before=${cursor}`).expect(200)).body;
        assert.ok(page.messages.length > 0, 'a page with has_more: true led to an empty page');
        walked.unshift(...page.messages);
        sizes.push(page.messages.length);
      }
      assert.deepEqual(contents(walked), contents(whole));
      assert.deepEqual(walked.map((m) => m.id), whole.map((m) => m.id));
      assert.equal(new Set(walked.map((m) => m.id)).size, 30);
      assert.equal(sizes.length, Math.ceil(30 / limit));
      assert.ok(sizes.slice(0, -1).every((size) => size === limit));
    });
  }

  it('answers a cursor alone with the 50 messages before it, and the oldest message with an empty page', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const id = await conversationWith(alice, 3);
    const whole = (await alice.get(`/conversations/${id}`).expect(200)).body.messages as Message[];
    const last = (await alice.get(`/conversations/${id}?before=${whole[5]!.id}`).expect(200)).body;
    assert.deepEqual(last.messages.map((m: Message) => m.id), whole.slice(0, 5).map((m) => m.id));
    assert.equal(last.has_more, false);
    const none = (await alice.get(`/conversations/${id}?limit=5&before=${whole[0]!.id}`).expect(200)).body;
    assert.deepEqual({ messages: none.messages, has_more: none.has_more }, { messages: [], has_more: false });
  });

  it("answers 404 for someone else's conversation and refuses their messages as a cursor", async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    const hers = await conversationWith(alice, 1);
    const his = await conversationWith(bob, 1);
    const res = await bob.get(`/conversations/${hers}`).expect(404);
    assert.equal(res.body.code, 'conversation_not_found');
    const herMessage = (await alice.get(`/conversations/${hers}`).expect(200)).body.messages[0].id;
    const cursor = await bob.get(`/conversations/${his}?limit=5&before=${herMessage}`).expect(400);
    assert.equal(cursor.body.code, 'invalid_cursor');
  });
});

describe('PATCH /api/{user_id}/conversations/{id}', () => {
  it('renames a conversation and the list shows the new title', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const id = await conversationWith(alice, 2, 'groceries');
    const res = await alice.patch(`/conversations/${id}`, { title: '  Weekly shopping 🛒 ' }).expect(200);
    assert.equal(res.body.id, id);
    assert.equal(res.body.title, 'Weekly shopping 🛒');
    assert.equal(res.body.message_count, 4);
    const [listed] = (await alice.get('/conversations').expect(200)).body.conversations;
    assert.equal(listed.title, 'Weekly shopping 🛒');
    assert.equal((await alice.get(`/conversations/${id}`).expect(200)).body.title, 'Weekly shopping 🛒');
  });

  it('keeps the list order when a conversation is renamed (a rename is not new activity)', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const older = await conversationWith(alice, 1, 'older');
    const newer = await conversationWith(alice, 1, 'newer');
    await alice.patch(`/conversations/${older}`, { title: 'Renamed' }).expect(200);
    const ids = (await alice.get('/conversations').expect(200)).body.conversations.map((c: { id: string }) => c.id);
    assert.deepEqual(ids, [newer, older]);
  });

  it('refuses a blank or too-long title and leaves the old one', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const id = await conversationWith(alice, 1, 'keep me');
    assert.equal((await alice.patch(`/conversations/${id}`, { title: '   ' }).expect(400)).body.code, 'empty_text');
    const long = await alice.patch(`/conversations/${id}`, { title: 'x'.repeat(201) }).expect(400);
    assert.equal(long.body.detail, 'Validation error: title is 201 characters long; the limit is 200.');
    assert.equal((await alice.get(`/conversations/${id}`).expect(200)).body.title, 'keep me 1');
  });

  it("answers 404 for someone else's conversation and leaves it alone", async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    const hers = await conversationWith(alice, 1, 'hers');
    const res = await bob.patch(`/conversations/${hers}`, { title: 'stolen' }).expect(404);
    assert.equal(res.body.detail, "We couldn't find that conversation. It may have been deleted.");
    assert.equal((await alice.get(`/conversations/${hers}`).expect(200)).body.title, 'hers 1');
  });
});

describe('DELETE /api/{user_id}/conversations/{id}', () => {
  it('deletes the conversation with its messages and keeps the tasks', async () => {
    const { as, store } = await testApp();
    const alice = await as(newUser());
    const keep = await conversationWith(alice, 1, 'keep');
    const doomed = await conversationWith(alice, 3, 'add task doomed');
    const messages = (await alice.get(`/conversations/${doomed}`).expect(200)).body.messages as Message[];
    const tasksBefore = (await alice.get('/tasks').expect(200)).body.tasks;

    const res = await alice.delete(`/conversations/${doomed}`).expect(204);
    assert.equal(res.text, '');
    await alice.get(`/conversations/${doomed}`).expect(404);
    const list = (await alice.get('/conversations').expect(200)).body;
    assert.deepEqual(list.conversations.map((s: ConversationSummary) => s.id), [keep]);
    assert.equal(list.total, 1);
    // The messages went with it: none can serve as a cursor, and the store has none left.
    await alice.get(`/conversations/${keep}?limit=5&before=${messages[0]!.id}`).expect(400);
    assert.deepEqual(await store.listMessages(alice.userId, doomed), { messages: [], has_more: false });
    await alice.chat('are you there?', { conversation_id: doomed }).expect(404);
    assert.deepEqual((await alice.get('/tasks').expect(200)).body.tasks, tasksBefore);
    assert.equal((await alice.delete(`/conversations/${doomed}`).expect(404)).body.code, 'conversation_not_found');
  });

  it("answers 404 for someone else's conversation and deletes nothing", async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    const hers = await conversationWith(alice, 2);
    assert.equal((await bob.delete(`/conversations/${hers}`).expect(404)).body.code, 'conversation_not_found');
    await bob.delete(`/conversations/${randomUUID()}`).expect(404);
    assert.equal((await alice.get(`/conversations/${hers}`).expect(200)).body.messages.length, 4);
  });
});
