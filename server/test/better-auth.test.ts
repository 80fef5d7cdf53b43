import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { betterAuth } from 'better-auth';
import { memoryAdapter } from 'better-auth/adapters/memory';
import { createAuthClient } from 'better-auth/client';
import { jwtClient } from 'better-auth/client/plugins';
import { fromNodeHeaders, toNodeHandler } from 'better-auth/node';
import { jwt } from 'better-auth/plugins';
import { decodeJwt, decodeProtectedHeader, SignJWT } from 'jose';
import type supertest from 'supertest';
import { testApp } from './helpers.js';

/**
 * A real Better Auth app (the `better-auth` package with email+password and its `jwt` plugin, on its
 * memory adapter so it runs the same with or without DATABASE_URL) on a local HTTP server. Users sign
 * up and get their JWT the way a browser app does, and our server verifies it over HTTP.
 */

const BETTER_AUTH_SECRET = randomBytes(32).toString('base64');
let baseURL = '';
let auth: ReturnType<typeof createBetterAuth>;

function createBetterAuth(url: string) {
  return betterAuth({
    baseURL: url,
    secret: BETTER_AUTH_SECRET,
    database: memoryAdapter({ user: [], session: [], account: [], verification: [], jwks: [] }),
    emailAndPassword: { enabled: true },
    plugins: [jwt()],
    logger: { disabled: true },
  });
}

/**
 * The shared-secret variant as a host app builds it: a route of its own that checks the Better Auth
 * session and signs an HS256 token with the same BETTER_AUTH_SECRET (see docs/auth.md, option A).
 */
async function chatTokenRoute(req: IncomingMessage, res: ServerResponse) {
  const session = await auth.api.getSession({ headers: fromNodeHeaders(req.headers) });
  if (!session) {
    res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"Unauthorized"}');
    return;
  }
  const token = await new SignJWT({ id: session.user.id, email: session.user.email, name: session.user.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(session.user.id)
    .setIssuer(baseURL)
    .setAudience(baseURL)
    .setIssuedAt()
    .setExpirationTime('15m')
    .sign(new TextEncoder().encode(BETTER_AUTH_SECRET));
  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' }).end(JSON.stringify({ token }));
}

const server = createServer((req, res) => {
  if (req.url === '/api/chat-token') void chatTokenRoute(req, res);
  else void toNodeHandler(auth)(req, res);
});

before(async () => {
  // Longer than any pause between two requests here, so a reused keep-alive socket is never one the
  // server is closing (Node's 5 s default races with the client on a busy machine).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  auth = createBetterAuth(baseURL);
});
after(() => new Promise((resolve) => server.close(resolve)));

/** A browser-like session: Better Auth's own client, with the cookie jar and Origin a browser supplies. */
function browser() {
  const cookies = new Map<string, string>();
  const cookieFetch: typeof fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('Origin', baseURL);
    if (cookies.size) headers.set('Cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '));
    const response = await fetch(input, { ...init, headers });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = [pair!.slice(0, pair!.indexOf('=')), pair!.slice(pair!.indexOf('=') + 1)];
      if (/max-age=0/i.test(cookie)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  const authClient = createAuthClient({ baseURL, plugins: [jwtClient()], fetchOptions: { customFetchImpl: cookieFetch } });
  return { authClient, fetch: cookieFetch };
}

async function signUp() {
  const { authClient, fetch } = browser();
  const { data, error } = await authClient.signUp.email({
    email: `${randomUUID()}@example.com`,
    password: 'correct horse battery staple',
    name: 'Ada',
  });
  assert.equal(error, null);
  return { authClient, fetch, userId: data!.user.id };
}

const chat = (http: supertest.Agent, userId: string, token: string, message = 'add task buy milk') =>
  http.post(`/api/${encodeURIComponent(userId)}/chat`).set('Authorization', `Bearer ${token}`).send({ message });

/** Our server pointed at the Better Auth app's JWKS, checking issuer and audience like its jwt plugin sets them. */
const jwksApp = (env: Record<string, string> = {}) =>
  testApp({
    env: { BETTER_AUTH_SECRET: '', AUTH_JWKS_URL: `${baseURL}/api/auth/jwks`, AUTH_ISSUER: baseURL, AUTH_AUDIENCE: baseURL, ...env },
  });

describe('Better Auth jwt plugin (JWKS), end to end', () => {
  it('issues EdDSA tokens with sub = id = the user id and iss = aud = baseURL', async () => {
    const { authClient, userId } = await signUp();
    const { data } = await authClient.token();
    assert.equal(decodeProtectedHeader(data!.token).alg, 'EdDSA');
    const claims = decodeJwt(data!.token);
    assert.equal(claims.sub, userId);
    assert.equal(claims.id, userId);
    assert.equal(claims.iss, baseURL);
    assert.equal(claims.aud, baseURL);
    assert.equal(claims.exp! - claims.iat!, 15 * 60);
  });

  it('lets a signed-up user chat with the token from authClient.token(), and only on their own path', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const { http } = await jwksApp();
    const token = (await alice.authClient.token()).data!.token;

    const turn = await chat(http, alice.userId, token).expect(200);
    assert.equal(turn.body.role, 'assistant');
    const tasks = await http.get(`/api/${alice.userId}/tasks`).set('Authorization', `Bearer ${token}`).expect(200);
    assert.deepEqual(tasks.body.tasks.map((t: { title: string }) => t.title), ['buy milk']);

    const res = await chat(http, bob.userId, token).expect(403);
    assert.equal(res.body.detail, 'Access denied. You can only open your own conversations.');
  });

  it('accepts the token from the set-auth-jwt header of getSession()', async () => {
    const alice = await signUp();
    let headerToken: string | null = null;
    await alice.authClient.getSession({
      fetchOptions: { onSuccess: (ctx) => void (headerToken = ctx.response.headers.get('set-auth-jwt')) },
    });
    assert.ok(headerToken);
    const { http } = await jwksApp();
    await chat(http, alice.userId, headerToken).expect(200);
  });

  it('works with AUTH_USER_CLAIM=id, the other claim Better Auth fills with the user id', async () => {
    const alice = await signUp();
    const { http } = await jwksApp({ AUTH_USER_CLAIM: 'id' });
    await chat(http, alice.userId, (await alice.authClient.token()).data!.token).expect(200);
  });

  it('refuses a Better Auth token when our server expects another issuer', async () => {
    const alice = await signUp();
    const { http } = await jwksApp({ AUTH_ISSUER: 'https://another-app.example.com' });
    const res = await chat(http, alice.userId, (await alice.authClient.token()).data!.token).expect(401);
    assert.equal(res.body.code, 'invalid_token');
  });

  it('refuses a signed-out browser: /api/auth/token gives no token without a session', async () => {
    const alice = await signUp();
    await alice.authClient.signOut();
    const { data, error } = await alice.authClient.token();
    assert.equal(data, null);
    assert.equal(error?.status, 401);
  });
});

describe('Better Auth with the shared secret (HS256), end to end', () => {
  it('lets a signed-up user chat with an HS256 token signed with the same BETTER_AUTH_SECRET', async () => {
    const alice = await signUp();
    const bob = await signUp();
    const { http } = await testApp({ env: { BETTER_AUTH_SECRET, AUTH_ISSUER: baseURL, AUTH_AUDIENCE: baseURL } });
    const response = await alice.fetch(`${baseURL}/api/chat-token`);
    assert.equal(response.status, 200);
    const { token } = (await response.json()) as { token: string };
    assert.equal(decodeProtectedHeader(token).alg, 'HS256');

    const turn = await chat(http, alice.userId, token).expect(200);
    assert.equal(turn.body.role, 'assistant');
    await chat(http, bob.userId, token).expect(403);
  });

  it('refuses that HS256 token on a server configured with a different secret', async () => {
    const alice = await signUp();
    const { token } = (await (await alice.fetch(`${baseURL}/api/chat-token`)).json()) as { token: string };
    const { http } = await testApp({ env: { BETTER_AUTH_SECRET: randomBytes(32).toString('base64') } });
    const res = await chat(http, alice.userId, token).expect(401);
    assert.equal(res.body.code, 'invalid_token');
  });

  it('accepts both kinds of token when both BETTER_AUTH_SECRET and AUTH_JWKS_URL are set', async () => {
    const alice = await signUp();
    const { http } = await jwksApp({ BETTER_AUTH_SECRET });
    const { token: shared } = (await (await alice.fetch(`${baseURL}/api/chat-token`)).json()) as { token: string };
    const plugin = (await alice.authClient.token()).data!.token;
    await chat(http, alice.userId, shared).expect(200);
    await chat(http, alice.userId, plugin).expect(200);
  });
});
