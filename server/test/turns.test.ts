import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Agent, AgentTurn } from '../src/agent/agent.js';
import { newUser, testApp } from './helpers.js';

/** An agent whose answer waits until the test lets it go, or fails on demand. */
function controlledAgent() {
  let failNext = false;
  let unstorableNext = false;
  let release: () => void = () => {};
  let gate = Promise.resolve();
  const agent: Agent = {
    name: 'controlled',
    async *run(turn: AgentTurn) {
      await gate;
      if (failNext) {
        failNext = false;
        throw new Error('model exploded');
      }
      if (unstorableNext) {
        // PostgreSQL cannot store a NUL: the answer is produced but saving it fails.
        unstorableNext = false;
        yield { type: 'text', delta: 'broken \u0000 answer' };
        return;
      }
      await turn.tools.add_task({ title: `from: ${turn.message}` });
      yield { type: 'tool_call', call: turn.tools.calls.at(-1)! };
      yield { type: 'text', delta: `echo: ${turn.message}` };
    },
  };
  return {
    agent,
    hold() {
      gate = new Promise((resolve) => (release = resolve));
    },
    release: () => release(),
    failOnce() {
      failNext = true;
    },
    unstorableOnce() {
      unstorableNext = true;
    },
  };
}

describe('chat turns under retries and concurrency', () => {
  it('stores one user message and one answer when the same client_message_id arrives five times at once', async () => {
    const control = controlledAgent();
    const { as } = await testApp({ agent: control.agent });
    const alice = await as(newUser());
    const client_message_id = randomUUID();
    control.hold();
    const requests = Array.from({ length: 5 }, () => alice.chat('only once', { client_message_id }).then((r) => r));
    await new Promise((resolve) => setTimeout(resolve, 200));
    control.release();
    const responses = await Promise.all(requests);
    const ok = responses.filter((r) => r.status === 200);
    const busy = responses.filter((r) => r.status === 409);
    assert.equal(ok.length + busy.length, 5, 'every duplicate is either answered or told to wait');
    assert.ok(ok.length >= 1);
    for (const r of busy) {
      assert.equal(r.body.code, 'turn_in_progress');
      assert.ok(Number(r.headers['retry-after']) > 0);
    }
    const conversationId = ok[0]!.body.conversation_id;
    const detail = await alice.get(`/conversations/${conversationId}`).expect(200);
    assert.deepEqual(
      detail.body.messages.map((m: { role: string }) => m.role),
      ['user', 'assistant'],
    );
    const tasks = await alice.get('/tasks').expect(200);
    assert.equal(tasks.body.tasks.length, 1, 'the agent ran once');
    const list = await alice.get('/conversations').expect(200);
    assert.equal(list.body.total, 1);

    // After the turn is answered, a late retry gets the original answer.
    const late = await alice.chat('only once', { client_message_id }).expect(200);
    assert.equal(late.body.message_id, ok[0]!.body.message_id);
  });

  it('keeps the user message when the assistant fails, and a retry with the same id answers it', async () => {
    const control = controlledAgent();
    const { as } = await testApp({ agent: control.agent });
    const alice = await as(newUser());
    const client_message_id = randomUUID();
    control.failOnce();
    const failed = await alice.chat('please work', { client_message_id }).expect(502);
    assert.equal(failed.body.error, 'Bad Gateway');
    assert.match(failed.body.detail, /Your message is saved/);
    const list = await alice.get('/conversations').expect(200);
    assert.equal(list.body.total, 1);
    const conversationId = list.body.conversations[0].id;
    const before = await alice.get(`/conversations/${conversationId}`).expect(200);
    assert.deepEqual(before.body.messages.map((m: { content: string }) => m.content), ['please work']);

    const retried = await alice.chat('please work', { client_message_id }).expect(200);
    assert.equal(retried.body.conversation_id, conversationId);
    const after = await alice.get(`/conversations/${conversationId}`).expect(200);
    assert.deepEqual(after.body.messages.map((m: { content: string }) => m.content), ['please work', 'echo: please work']);
    assert.equal(after.body.messages[1].tool_calls[0].name, 'add_task');
    assert.equal((await alice.get('/conversations').expect(200)).body.conversations[0].message_count, 2);
  });

  it('lets a retry answer at once when saving the answer failed (no 409 until the lease runs out)', async () => {
    const control = controlledAgent();
    const { as } = await testApp({ agent: control.agent });
    const alice = await as(newUser());
    const client_message_id = randomUUID();
    control.unstorableOnce();
    const failed = await alice.chat('save me', { client_message_id }).expect(500);
    assert.equal(failed.body.detail, 'Something went wrong on our side. Please try again.');
    const retried = await alice.chat('save me', { client_message_id }).expect(200);
    assert.equal(retried.body.message, 'echo: save me');
    const detail = await alice.get(`/conversations/${retried.body.conversation_id}`).expect(200);
    assert.deepEqual(detail.body.messages.map((m: { content: string }) => m.content), ['save me', 'echo: save me']);
  });

  it('refuses a client_message_id reused for different text, and stores nothing for it', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const client_message_id = randomUUID();
    const first = await alice.chat('buy milk', { client_message_id }).expect(200);
    const reused = await alice.chat('something else', { client_message_id }).expect(409);
    assert.equal(reused.body.code, 'client_message_id_reused');
    assert.match(reused.body.detail, /already used for a different message/);
    const detail = await alice.get(`/conversations/${first.body.conversation_id}`).expect(200);
    assert.equal(detail.body.messages.length, 2);
  });

  it('serves many users at once without mixing their conversations', async () => {
    const { as } = await testApp();
    const users = await Promise.all(Array.from({ length: 8 }, () => as(newUser())));
    await Promise.all(
      users.map(async (user, i) => {
        const first = await user.chat(`hello from ${i}`).expect(200);
        for (let n = 0; n < 3; n++) {
          await user.chat(`message ${n} from ${i}`, { conversation_id: first.body.conversation_id }).expect(200);
        }
      }),
    );
    for (const [i, user] of users.entries()) {
      const list = await user.get('/conversations').expect(200);
      assert.equal(list.body.total, 1);
      const detail = await user.get(`/conversations/${list.body.conversations[0].id}`).expect(200);
      const mine = detail.body.messages.filter((m: { role: string }) => m.role === 'user').map((m: { content: string }) => m.content);
      assert.deepEqual(mine, [`hello from ${i}`, `message 0 from ${i}`, `message 1 from ${i}`, `message 2 from ${i}`]);
      assert.equal(list.body.conversations[0].message_count, 8);
    }
  });

  it('titles a new conversation after its first message and previews the latest one', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const long = 'Plan the family trip: book flights, find a hotel near the beach, and rent a car for the whole week';
    const turn = await alice.chat(long).expect(200);
    const list = await alice.get('/conversations').expect(200);
    const summary = list.body.conversations[0];
    assert.equal(summary.id, turn.body.conversation_id);
    assert.ok(summary.title.length <= 80 && long.startsWith(summary.title.replace(/…$/, '')));
    assert.equal(summary.last_message_preview, turn.body.message.slice(0, 120).replace(/\s+/g, ' ').trim());
  });
});
