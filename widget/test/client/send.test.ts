import { expect } from '@open-wc/testing';
import type { ChatState } from '../../src/client/types.js';
import { createTestClient, disposeClients, serverConversation, waitForState } from '../support.js';

const contents = (state: ChatState) => state.messages.map((m) => `${m.role}:${m.status}:${m.content}`);

describe('ChatClient sending', () => {
  afterEach(disposeClients);

  it('streams an answer over SSE: the message shows at once, typing until the first words, then the reply', async () => {
    const { client, userId, token } = await createTestClient();
    const seen: ChatState[] = [];
    client.addEventListener('change', (event) => seen.push(event.detail));

    const sending = client.send('add task buy milk');
    expect(client.state.messages).to.have.length(1);
    expect(client.state.messages[0]).to.include({ role: 'user', content: 'add task buy milk', status: 'sending' });
    expect(client.state.typing).to.equal(true);

    const response = await sending;
    expect(response?.message).to.contain('buy milk');
    expect(seen.some((s) => s.messages.some((m) => m.status === 'streaming'))).to.equal(true);
    const streamingStates = seen.filter((s) => s.messages.some((m) => m.status === 'streaming'));
    expect(streamingStates.every((s) => !s.typing)).to.equal(true);

    const state = client.state;
    expect(state.typing).to.equal(false);
    expect(state.conversationId).to.equal(response!.conversation_id);
    expect(contents(state)).to.deep.equal([`user:sent:add task buy milk`, `assistant:sent:${response!.message}`]);
    expect(state.messages[0]!.id).to.equal(response!.user_message_id);
    expect(state.messages[1]!.tool_calls?.[0]?.name).to.equal('add_task');

    const stored = await serverConversation(userId, token, response!.conversation_id);
    expect(stored.messages.map((m) => m.content)).to.deep.equal(['add task buy milk', response!.message]);
  });

  it('works over plain JSON when streaming is off', async () => {
    const { client } = await createTestClient({ streaming: false });
    const seen: ChatState[] = [];
    client.addEventListener('change', (event) => seen.push(event.detail));
    const response = await client.send('hello');
    expect(response?.role).to.equal('assistant');
    expect(seen.some((s) => s.messages.some((m) => m.status === 'streaming'))).to.equal(false);
    expect(contents(client.state)).to.deep.equal(['user:sent:hello', `assistant:sent:${response!.message}`]);
  });

  it('announces the new conversation, the response, and that tasks changed', async () => {
    const { client } = await createTestClient();
    const events: string[] = [];
    for (const type of ['conversation-change', 'response', 'tasks-changed'] as const) {
      client.addEventListener(type, () => events.push(type));
    }
    let toolNames: string[] = [];
    client.addEventListener('tasks-changed', (event) => (toolNames = event.detail.toolCalls.map((c) => c.name)));
    await client.send('add task water the plants');
    expect(events).to.deep.equal(['conversation-change', 'response', 'tasks-changed']);
    expect(toolNames).to.deep.equal(['add_task']);

    events.length = 0;
    await client.send('hello there');
    expect(events).to.deep.equal(['response']); // same conversation, no task changed
    const tasks = await client.listTasks();
    expect(tasks.map((t) => t.title)).to.deep.equal(['water the plants']);
  });

  it('sends messages typed quickly in order, each once, and answers each after its question', async () => {
    const { client, userId, token } = await createTestClient();
    const texts = ['first message', 'second message', 'third message', 'fourth message'];
    const sends = texts.map((text) => client.send(text));
    expect(client.state.messages.map((m) => m.status)).to.deep.equal(['sending', 'queued', 'queued', 'queued']);
    const responses = await Promise.all(sends);
    expect(new Set(responses.map((r) => r?.conversation_id)).size).to.equal(1);

    const stored = await serverConversation(userId, token, responses[0]!.conversation_id);
    expect(stored.messages.filter((m) => m.role === 'user').map((m) => m.content)).to.deep.equal(texts);
    expect(stored.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant', 'user', 'assistant', 'user', 'assistant', 'user', 'assistant']);
    await waitForState(client, (s) => s.conversations.length === 1);
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(stored.messages.map((m) => m.content));
  });

  it('keeps a message the server refuses, with the reason, and goes on with the next', async () => {
    const { client } = await createTestClient();
    const tooLong = 'x'.repeat(4001);
    const [refused, next] = await Promise.all([client.send(tooLong), client.send('still here')]);
    expect(refused).to.equal(undefined);
    expect(next?.role).to.equal('assistant');
    const failed = client.state.messages.find((m) => m.status === 'failed')!;
    expect(failed.content).to.equal(tooLong);
    expect(failed.error).to.include({ kind: 'validation', status: 400, retryable: false });
    expect(failed.error?.detail).to.match(/4000/);
  });

  it('makes its own message ids where crypto.randomUUID is missing (plain-http pages)', async () => {
    const { client, userId, token } = await createTestClient();
    Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
    let response;
    try {
      response = client.send('hello from http');
    } finally {
      delete (crypto as { randomUUID?: unknown }).randomUUID;
    }
    expect(client.state.messages[0]!.key).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const stored = await serverConversation(userId, token, (await response)!.conversation_id);
    expect(stored.messages[0]!.content).to.equal('hello from http');
  });

  it('ignores a blank message', async () => {
    const { client } = await createTestClient();
    expect(await client.send('   ')).to.equal(undefined);
    expect(client.state.messages).to.have.length(0);
  });
});
