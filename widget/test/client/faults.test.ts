import { expect } from '@open-wc/testing';
import type { ChatError } from '../../src/client/types.js';
import { clearFaults, createTestClient, disposeClients, serverConversation, setFault, waitForState } from '../support.js';

describe('ChatClient when the server fails', () => {
  afterEach(disposeClients);

  it('retries after a dropped connection with the same id: the server has the message exactly once', async () => {
    const { client, userId, token } = await createTestClient();
    await setFault(userId, { mode: 'drop-after', method: 'POST', path: '/chat' });
    const errors: ChatError[] = [];
    client.addEventListener('error', (event) => errors.push(event.detail));

    expect(await client.send('add task call mum')).to.equal(undefined);
    const [failed] = client.state.messages;
    expect(failed).to.include({ content: 'add task call mum', status: 'failed' });
    expect(failed!.error).to.include({ kind: 'network', retryable: true });
    expect(errors.map((e) => e.kind)).to.deep.equal(['network']);
    expect(client.state.typing).to.equal(false);

    await clearFaults(userId);
    await client.retry();
    const state = await waitForState(client, (s) => s.messages.length === 2 && s.messages.every((m) => m.status === 'sent'));
    const stored = await serverConversation(userId, token, state.conversationId!);
    expect(stored.messages.map((m) => m.content)).to.deep.equal(state.messages.map((m) => m.content));
    expect(stored.messages.filter((m) => m.content === 'add task call mum')).to.have.length(1);
    expect((await client.listTasks()).map((t) => t.title)).to.deep.equal(['call mum']);
  });

  it('drops the half-streamed answer when the stream ends early, and the retry gets the whole answer', async () => {
    const { client, userId, token } = await createTestClient();
    await setFault(userId, { mode: 'truncate', method: 'POST', path: '/chat' });
    let streamed = false;
    client.addEventListener('change', (event) => (streamed ||= event.detail.messages.some((m) => m.status === 'streaming')));
    expect(await client.send('hello')).to.equal(undefined);
    expect(streamed).to.equal(true);
    expect(client.state.messages.map((m) => [m.role, m.status, m.error?.kind])).to.deep.equal([['user', 'failed', 'network']]);

    await clearFaults(userId);
    await client.retry();
    const stored = await serverConversation(userId, token, client.state.conversationId!);
    expect(client.state.messages.map((m) => [m.content, m.status])).to.deep.equal(stored.messages.map((m) => [m.content, 'sent']));
  });

  it('reports an error event inside the stream with the server\'s words', async () => {
    const { client, userId } = await createTestClient();
    await setFault(userId, { mode: 'stream-error', method: 'POST', path: '/chat' });
    await client.send('hello');
    expect(client.state.messages[0]!.error).to.deep.include({
      kind: 'timeout',
      code: 'assistant_timeout',
      detail: 'The assistant took too long to answer.',
      retryable: true,
    });
  });

  it('reports a server that cannot be reached, keeps every message, and sends them in order on retry', async () => {
    const { client, userId, token } = await createTestClient();
    await setFault(userId, { mode: 'drop' });
    const results = await Promise.all([client.send('one'), client.send('two')]);
    expect(results).to.deep.equal([undefined, undefined]);
    expect(client.state.messages.map((m) => [m.content, m.status, m.error?.kind])).to.deep.equal([
      ['one', 'failed', 'network'],
      ['two', 'failed', 'network'],
    ]);

    await clearFaults(userId);
    await client.retry();
    const stored = await serverConversation(userId, token, client.state.conversationId!);
    expect(stored.messages.filter((m) => m.role === 'user').map((m) => m.content)).to.deep.equal(['one', 'two']);
  });

  it('times out a slow answer, keeps the text, and the retry succeeds', async () => {
    const { client, userId } = await createTestClient({ timeoutMs: 400 });
    await setFault(userId, { mode: 'delay', delayMs: 4_000, times: 1, method: 'POST', path: '/chat' });
    expect(await client.send('are you there?')).to.equal(undefined);
    expect(client.state.messages[0]).to.include({ content: 'are you there?', status: 'failed' });
    expect(client.state.messages[0]!.error).to.include({ kind: 'timeout', retryable: true });

    client.setOptions({ timeoutMs: 30_000 });
    await client.retry(client.state.messages[0]!.key);
    expect(client.state.messages.map((m) => [m.role, m.status])).to.deep.equal([
      ['user', 'sent'],
      ['assistant', 'sent'],
    ]);
  });

  it('reports 429 with how long to wait, and the retry goes through', async () => {
    const { client, userId } = await createTestClient();
    await setFault(userId, { mode: 'status', status: 429, retryAfter: 7, times: 1, method: 'POST' });
    await client.send('hello');
    expect(client.state.messages[0]!.error).to.deep.include({ kind: 'rate_limited', status: 429, retryAfter: 7, retryable: true });
    expect(client.state.messages[0]!.error!.detail).to.be.a('string');
    await client.retry();
    expect(client.state.messages.map((m) => m.status)).to.deep.equal(['sent', 'sent']);
  });

  it('waits out a 409 "still answering this message" and then gets the answer, stored once', async () => {
    const { client, userId, token } = await createTestClient();
    await setFault(userId, { mode: 'status', status: 409, retryAfter: 1, times: 1, method: 'POST', path: '/chat' });
    const response = await client.send('patience');
    expect(response?.role).to.equal('assistant');
    const stored = await serverConversation(userId, token, response!.conversation_id);
    expect(stored.messages.map((m) => m.content)).to.deep.equal(['patience', response!.message]);
  });

  it('reports a 5xx as a server error that can be retried', async () => {
    const { client, userId } = await createTestClient({ streaming: false });
    await setFault(userId, { mode: 'status', status: 503, retryAfter: 2, method: 'POST' });
    await client.send('hello');
    expect(client.state.messages[0]!.error).to.deep.include({ kind: 'server', status: 503, retryAfter: 2, retryable: true });
  });

  it('remembers a failed history load and repeats it on retry()', async () => {
    const { client, userId } = await createTestClient();
    const response = await client.send('hello');
    await setFault(userId, { mode: 'status', status: 500, method: 'GET' });
    await client.restore(response!.conversation_id);
    expect(client.state.error).to.include({ kind: 'server', status: 500 });
    await clearFaults(userId);
    await client.retry();
    expect(client.state.error).to.equal(null);
    expect(client.state.messages.map((m) => m.role)).to.deep.equal(['user', 'assistant']);
    expect(client.state.conversations.map((c) => c.id)).to.deep.equal([response!.conversation_id]);
  });

  it('does not retry what cannot succeed: an unknown conversation is not_found', async () => {
    const { client } = await createTestClient();
    await client.open('00000000-0000-4000-8000-000000000000');
    expect(client.state.error).to.include({ kind: 'not_found', status: 404, retryable: false });
    expect(client.state.error!.detail).to.match(/couldn't find/);
  });
});
