import { expect } from '@open-wc/testing';
import { createTestClient, disposeClients, serverChat, serverConversation } from '../support.js';

describe('ChatClient history and conversations', () => {
  afterEach(disposeClients);

  it('starts an empty new conversation when the user has none', async () => {
    const { client } = await createTestClient();
    await client.restore();
    expect(client.state).to.include({ conversationId: null, conversationsTotal: 0, hasMore: false, loadingHistory: false });
    expect(client.state.messages).to.deep.equal([]);
  });

  it('restores the most recent conversation exactly as stored', async () => {
    const { client, userId, token } = await createTestClient();
    const older = await serverChat(userId, token, 'older conversation');
    const recent = await serverChat(userId, token, 'recent conversation');
    await serverChat(userId, token, 'and a follow-up', recent);
    const changes: (string | null)[] = [];
    client.addEventListener('conversation-change', (event) => changes.push(event.detail.conversationId));

    await client.restore();
    expect(client.state.conversations.map((c) => c.id)).to.deep.equal([recent, older]);
    expect(client.state.conversationId).to.equal(recent);
    expect(changes).to.deep.equal([recent]);
    const stored = await serverConversation(userId, token, recent);
    expect(client.state.messages.map((m) => [m.id, m.role, m.content])).to.deep.equal(stored.messages.map((m) => [m.id, m.role, m.content]));

    await client.restore(older);
    expect(client.state.conversationId).to.equal(older);
    expect(client.state.messages[0]!.content).to.equal('older conversation');
  });

  it('loads older messages page by page, prepending them in order', async () => {
    const { client, userId, token } = await createTestClient({ pageSize: 4 });
    const id = await serverChat(userId, token, 'message 1');
    for (let n = 2; n <= 5; n++) await serverChat(userId, token, `message ${n}`, id);
    const stored = (await serverConversation(userId, token, id)).messages.map((m) => m.content);
    expect(stored).to.have.length(10);

    await client.open(id);
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(stored.slice(-4));
    expect(client.state.hasMore).to.equal(true);
    await client.loadOlder();
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(stored.slice(-8));
    await client.loadOlder();
    expect(client.state.messages.map((m) => m.content)).to.deep.equal(stored);
    expect(client.state.hasMore).to.equal(false);
    await client.loadOlder(); // nothing more: no request, no change
    expect(client.state.messages).to.have.length(10);
  });

  it('continues an opened conversation and starts a new one on newConversation()', async () => {
    const { client, userId, token } = await createTestClient();
    const id = await serverChat(userId, token, 'hello');
    await client.restore();
    const reply = await client.send('again');
    expect(reply?.conversation_id).to.equal(id);
    expect(client.state.messages.map((m) => m.content)[2]).to.equal('again');

    await client.newConversation();
    expect(client.state.conversationId).to.equal(null);
    expect(client.state.messages).to.deep.equal([]);
    const fresh = await client.send('a new topic');
    expect(fresh?.conversation_id).to.not.equal(id);
    expect(client.state.conversationId).to.equal(fresh?.conversation_id);
  });

  it('renames a conversation', async () => {
    const { client, userId, token } = await createTestClient();
    const id = await serverChat(userId, token, 'hello');
    await client.restore();
    expect(await client.renameConversation(id, 'Groceries')).to.equal(true);
    expect(client.state.conversations[0]!.title).to.equal('Groceries');
    await client.refreshConversations();
    expect(client.state.conversations[0]!.title).to.equal('Groceries');
  });

  it('says why a rename failed', async () => {
    const { client } = await createTestClient();
    expect(await client.renameConversation('00000000-0000-4000-8000-000000000000', 'x')).to.equal(false);
    expect(client.state.error?.kind).to.equal('not_found');
  });

  it('deletes the open conversation and opens a new empty one', async () => {
    const { client, userId, token } = await createTestClient();
    const keep = await serverChat(userId, token, 'keep me');
    const remove = await serverChat(userId, token, 'delete me');
    await client.restore();
    expect(client.state.conversationId).to.equal(remove);

    expect(await client.deleteConversation(remove)).to.equal(true);
    expect(client.state.conversationId).to.equal(null);
    expect(client.state.messages).to.deep.equal([]);
    expect(client.state.conversations.map((c) => c.id)).to.deep.equal([keep]);
    expect(client.state.conversationsTotal).to.equal(1);
    await client.open(remove);
    expect(client.state.error?.kind).to.equal('not_found');
  });

  it('never lets a conversation id change the request path', async () => {
    const { client } = await createTestClient();
    await client.open('../tasks');
    expect(client.state.error).to.include({ kind: 'validation', status: 400 });
  });

  it('keeps a message still on its way when the user switches away and back', async () => {
    const { client, userId, token } = await createTestClient();
    const first = await serverChat(userId, token, 'first');
    const second = await serverChat(userId, token, 'second');
    await client.open(first);
    const sending = client.send('to the first');
    await client.open(second);
    expect(client.state.messages.map((m) => m.content)).to.not.include('to the first');
    await sending;
    await client.open(first);
    expect(client.state.messages.filter((m) => m.content === 'to the first')).to.have.length(1);
  });
});
