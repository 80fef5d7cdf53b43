import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, it } from 'node:test';
import type { Agent } from '../src/agent/agent.js';
import type { ChatResponse, ConversationDetail } from '../src/contract.js';
import { signDemoToken } from '../src/http/auth.js';
import { createLogger } from '../src/http/logging.js';
import { startServer, type RunningServer } from '../src/server.js';
import { newUser, testConfig, testStore } from './helpers.js';
import { EventReader, eventually, ScriptedAgent, type StreamEvent } from './live.js';

/** The server listening on a random port, because a stream has to be read as it arrives. */
const servers: RunningServer[] = [];
after(() => Promise.all(servers.map((server) => server.close())));

async function serve(agent?: Agent) {
  const config = testConfig({ PORT: '0', HOST: '127.0.0.1' });
  const server = await startServer(config, { agent, store: await testStore(), logger: createLogger('silent') });
  servers.push(server);
  const userId = newUser();
  const token = await signDemoToken(config.auth, userId);
  const headers = { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' };
  const api = `${server.url}/api/${userId}`;
  return {
    chat: (body: unknown, accept = 'text/event-stream') =>
      fetch(`${api}/chat`, { method: 'POST', headers: { ...headers, Accept: accept }, body: JSON.stringify(body) }),
    conversation: async (id: string) =>
      (await (await fetch(`${api}/conversations/${id}`, { headers })).json()) as ConversationDetail,
  };
}

const texts = (detail: ConversationDetail) => detail.messages.map((m) => [m.role, m.content]);

describe('POST /api/{user_id}/chat with Accept: text/event-stream', () => {
  it('streams start, deltas and tool calls, then one done event carrying the JSON response', async () => {
    const { chat, conversation } = await serve();
    const res = await chat({ message: 'add task buy oat milk' });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
    const events = await new EventReader(res).all();

    const names = events.map((e) => e.event);
    assert.equal(names[0], 'start');
    assert.equal(names.at(-1), 'done');
    assert.equal(names.filter((n) => n === 'done').length, 1);
    assert.ok(names.slice(1, -1).every((n) => n === 'delta' || n === 'tool_call'), names.join(','));

    const done = events.at(-1)!.data as ChatResponse;
    const json = (await (await chat({ message: 'hello', conversation_id: done.conversation_id }, 'application/json')).json()) as ChatResponse;
    assert.deepEqual(Object.keys(done).sort(), Object.keys(json).sort());
    assert.equal(done.role, 'assistant');

    const deltas = events.flatMap((e) => (e.event === 'delta' ? [e.data.text] : []));
    assert.equal(deltas.join(''), done.message);
    assert.match(done.message, /buy oat milk/);
    const toolCalls = events.flatMap((e) => (e.event === 'tool_call' ? [e.data] : []));
    assert.deepEqual(toolCalls, done.tool_calls);
    assert.equal(toolCalls[0]?.name, 'add_task');

    const start = events[0] as Extract<StreamEvent, { event: 'start' }>;
    assert.equal(start.data.conversation_id, done.conversation_id);
    assert.equal(start.data.user_message_id, done.user_message_id);
    const saved = await conversation(done.conversation_id);
    assert.deepEqual(texts(saved).slice(0, 2), [
      ['user', 'add task buy oat milk'],
      ['assistant', done.message],
    ]);
  });

  it('answers validation, auth and not-found errors as plain JSON before any stream opens', async () => {
    const { chat } = await serve();
    const blank = await chat({ message: '   ' });
    assert.equal(blank.status, 400);
    assert.match(blank.headers.get('content-type')!, /^application\/json/);
    const body = (await blank.json()) as { error: string; detail: string };
    assert.equal(body.error, 'Bad Request');
    assert.match(body.detail, /message can't be empty/);

    const anonymous = await fetch(blank.url, {
      method: 'POST',
      headers: { Accept: 'text/event-stream', 'Content-Type': 'application/json' },
      body: JSON.stringify({ message: 'hi' }),
    });
    assert.equal(anonymous.status, 401);
    assert.match(anonymous.headers.get('content-type')!, /^application\/json/);

    const missing = await chat({ message: 'hi', conversation_id: randomUUID() });
    assert.equal(missing.status, 404);
    assert.match(missing.headers.get('content-type')!, /^application\/json/);
    assert.equal(((await missing.json()) as { detail: string }).detail, "We couldn't find that conversation. It may have been deleted.");
  });

  it('keeps the message and saves the whole answer when the client hangs up mid-stream', async () => {
    const agent = new ScriptedAgent(['Sure, ', 'here is ', 'the whole ', 'answer.']);
    const { chat, conversation } = await serve(agent);
    const reader = new EventReader(await chat({ message: 'tell me everything' }));
    const start = (await reader.next()) as Extract<StreamEvent, { event: 'start' }>;
    assert.equal(start.event, 'start');
    assert.deepEqual(await reader.next(), { event: 'delta', data: { text: 'Sure, ' } });
    await reader.cancel();
    agent.release.open();

    const saved = await eventually(async () => {
      const detail = await conversation(start.data.conversation_id);
      return detail.messages.length === 2 && detail;
    }, 'the answer to be saved');
    assert.deepEqual(texts(saved), [
      ['user', 'tell me everything'],
      ['assistant', 'Sure, here is the whole answer.'],
    ]);
  });

  it('ends with an error event when the agent fails, keeps the message, and a retry answers it once', async () => {
    const agent = new ScriptedAgent(['Let me ', 'check.']);
    agent.fail = true;
    const { chat, conversation } = await serve(agent);
    const client_message_id = randomUUID();
    const failed = await new EventReader(await chat({ message: 'what is due today?', client_message_id })).all();
    assert.deepEqual(
      failed.map((e) => e.event),
      ['start', 'delta', 'error'],
    );
    const error = failed.at(-1)!.data as { error: string; detail: string };
    assert.equal(error.error, 'Bad Gateway');
    assert.match(error.detail, /Your message is saved; please try again/);
    const conversationId = (failed[0] as Extract<StreamEvent, { event: 'start' }>).data.conversation_id;
    assert.deepEqual(texts(await conversation(conversationId)), [['user', 'what is due today?']]);

    agent.fail = false;
    agent.release.open();
    const retried = await new EventReader(await chat({ message: 'what is due today?', client_message_id })).all();
    assert.equal(retried.at(-1)?.event, 'done');
    assert.equal((retried.at(-1)!.data as ChatResponse).message, 'Let me check.');
    assert.deepEqual(texts(await conversation(conversationId)), [
      ['user', 'what is due today?'],
      ['assistant', 'Let me check.'],
    ]);
    assert.equal(agent.runs, 2);
  });
});
