import { expect } from '@open-wc/testing';
import { ChatClient } from '../../src/client/chat-client.js';
import { tokenSubject } from '../../src/client/transport.js';
import type { ChatError } from '../../src/client/types.js';
import { expiredToken, newUserToken, serverUrl } from '../support.js';

describe('ChatClient auth', () => {
  const clients: ChatClient[] = [];
  afterEach(() => clients.splice(0).forEach((c) => c.dispose()));
  const make = async (tokenProvider: () => string | Promise<string>, userId?: string) => {
    const client = new ChatClient({ apiUrl: await serverUrl(), tokenProvider, userId });
    clients.push(client);
    return client;
  };

  it('sends the token and takes the user id from its sub claim', async () => {
    const { userId, token } = await newUserToken();
    expect(tokenSubject(token)).to.equal(userId);
    const client = await make(() => token);
    expect((await client.send('hello'))?.role).to.equal('assistant');
  });

  it('on 401 asks the token provider once more and succeeds with the fresh token', async () => {
    const { userId, token } = await newUserToken();
    const stale = await expiredToken(userId);
    let calls = 0;
    const client = await make(async () => (++calls === 1 ? stale : token));
    const authRequired: ChatError[] = [];
    client.addEventListener('auth-required', (event) => authRequired.push(event.detail));
    const response = await client.send('hello');
    expect(response?.role).to.equal('assistant');
    expect(calls).to.equal(2);
    expect(authRequired).to.have.length(0);
    expect(client.state.messages.map((m) => m.status)).to.deep.equal(['sent', 'sent']);
  });

  it('when the token stays expired, fails once with auth and asks the host to sign the user in', async () => {
    const { userId } = await newUserToken();
    const stale = await expiredToken(userId);
    let calls = 0;
    const client = await make(() => {
      calls++;
      return stale;
    });
    const authRequired: ChatError[] = [];
    client.addEventListener('auth-required', (event) => authRequired.push(event.detail));
    expect(await client.send('hello')).to.equal(undefined);
    expect(calls).to.equal(2); // one transparent refresh, no loop
    expect(authRequired).to.have.length(1);
    expect(authRequired[0]).to.include({ kind: 'auth', status: 401, code: 'token_expired' });
    expect(client.state.error?.kind).to.equal('auth');
    expect(client.state.messages[0]).to.include({ content: 'hello', status: 'failed' });
    expect(client.state.messages[0]!.error!.detail).to.match(/expired/);
  });

  it('with no token at all, asks for sign-in without calling the server', async () => {
    const client = await make(() => '');
    const authRequired = new Promise<CustomEvent<ChatError>>((resolve) => client.addEventListener('auth-required', resolve, { once: true }));
    await client.restore();
    expect((await authRequired).detail.kind).to.equal('auth');
  });

  it('treats a token provider that throws as signed out', async () => {
    const client = await make(() => {
      throw new Error('no session');
    });
    await client.send('hello');
    expect(client.state.messages[0]!.error).to.include({ kind: 'auth', retryable: true });
    expect(client.state.error?.kind).to.equal('auth');
  });

  it('refuses another user\'s conversations with forbidden', async () => {
    const { token } = await newUserToken();
    const client = await make(() => token, 'someone-else');
    await client.refreshConversations();
    expect(client.state.error).to.include({ kind: 'forbidden', status: 403, retryable: false });
  });

  it('cannot read a user id from a token that is not a JWT', () => {
    expect(tokenSubject('not-a-jwt')).to.equal(undefined);
  });
});
