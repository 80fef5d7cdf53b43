import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import { newUser, testApp } from './helpers.js';

describe('POST /api/{user_id}/chat', () => {
  it('starts a new conversation when no conversation_id is given and answers as the assistant', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const res = await alice.chat('Hello there').expect(200);
    assert.equal(res.body.role, 'assistant');
    assert.match(res.body.conversation_id, /^[0-9a-f-]{36}$/);
    assert.ok(res.body.message.length > 0);
    assert.ok(!Number.isNaN(Date.parse(res.body.created_at)));
    assert.deepEqual(res.body.tool_calls, []);

    const detail = await alice.get(`/conversations/${res.body.conversation_id}`).expect(200);
    assert.deepEqual(
      detail.body.messages.map((m: { role: string; content: string }) => [m.role, m.content]),
      [
        ['user', 'Hello there'],
        ['assistant', res.body.message],
      ],
    );
  });

  it('continues an existing conversation in the order the messages were sent', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const first = await alice.chat('one').expect(200);
    const id = first.body.conversation_id;
    await alice.chat('two', { conversation_id: id }).expect(200);
    await alice.chat('three', { conversation_id: id }).expect(200);
    const detail = await alice.get(`/conversations/${id}`).expect(200);
    const userTexts = detail.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content);
    assert.deepEqual(userTexts, ['one', 'two', 'three']);
    assert.equal(detail.body.messages.length, 6);
  });

  it('answers 404, not 403, for a conversation that belongs to someone else', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const bob = await as(newUser());
    const aliceTurn = await alice.chat('private').expect(200);
    const res = await bob.chat('let me in', { conversation_id: aliceTurn.body.conversation_id }).expect(404);
    assert.equal(res.body.detail, "We couldn't find that conversation. It may have been deleted.");
    await bob.get(`/conversations/${aliceTurn.body.conversation_id}`).expect(404);
    await bob.get(`/conversations/${randomUUID()}`).expect(404);
  });

  it('stores a retried client_message_id once and returns the original answer', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const client_message_id = randomUUID();
    const first = await alice.chat('add task water plants', { client_message_id }).expect(200);
    const again = await alice.chat('add task water plants', { client_message_id }).expect(200);
    assert.deepEqual(again.body, first.body);
    const detail = await alice.get(`/conversations/${first.body.conversation_id}`).expect(200);
    assert.equal(detail.body.messages.length, 2);
    const tasks = await alice.get('/tasks').expect(200);
    assert.equal(tasks.body.tasks.length, 1);
  });
});
