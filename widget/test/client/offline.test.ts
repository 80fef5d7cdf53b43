import { expect } from '@open-wc/testing';
import {
  createTestClient,
  disposeClients,
  restoreOnline,
  serverConversation,
  serverUrl,
  setOnline,
  waitForState,
} from '../support.js';

describe('ChatClient offline', () => {
  afterEach(() => {
    disposeClients();
    restoreOnline();
  });

  it('follows the browser going offline and back online', async () => {
    const { client } = await createTestClient();
    expect(client.state.online).to.equal(true);
    setOnline(false);
    expect(client.state.online).to.equal(false);
    setOnline(true);
    expect(client.state.online).to.equal(true);
  });

  it('queues messages sent offline and sends them once, in order, when back online', async () => {
    const { client, userId, token } = await createTestClient();
    setOnline(false);
    const sends = [client.send('first while offline'), client.send('second while offline')];
    expect(client.state.messages.map((m) => [m.content, m.status])).to.deep.equal([
      ['first while offline', 'queued'],
      ['second while offline', 'queued'],
    ]);
    expect(client.state.typing).to.equal(false);

    // Nothing reached the server while offline.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const list = await fetch(`${await serverUrl()}/api/${userId}/conversations`, { headers: { Authorization: `Bearer ${token}` } });
    expect(((await list.json()) as { total: number }).total).to.equal(0);
    expect(client.state.messages.every((m) => m.status === 'queued')).to.equal(true);

    setOnline(true);
    const responses = await Promise.all(sends);
    expect(responses.every((r) => r?.role === 'assistant')).to.equal(true);
    const stored = await serverConversation(userId, token, responses[0]!.conversation_id);
    expect(stored.messages.filter((m) => m.role === 'user').map((m) => m.content)).to.deep.equal([
      'first while offline',
      'second while offline',
    ]);
    const state = await waitForState(client, (s) => s.messages.length === 4);
    expect(state.messages.map((m) => m.status)).to.deep.equal(['sent', 'sent', 'sent', 'sent']);
  });

  it('keeps a message queued, not failed, when the network goes away during the send', async () => {
    const { client } = await createTestClient({ apiUrl: 'http://127.0.0.1:9' });
    const sending = client.send('lost in the tunnel');
    // The refused connection is seen while the browser already reports offline.
    setOnline(false);
    await waitForState(client, (s) => !s.typing && s.messages[0]?.status === 'queued');
    expect(client.state.messages[0]!.error).to.equal(undefined);
    client.dispose();
    expect(await sending).to.equal(undefined);
  });
});
