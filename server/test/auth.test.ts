import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base64url, generateKeyPair, SignJWT, type JWTPayload } from 'jose';
import type supertest from 'supertest';
import { ConfigError, loadConfig } from '../src/config.js';
import { newUser, TEST_SECRET, testApp } from './helpers.js';

/**
 * The shared-secret (HS256, `BETTER_AUTH_SECRET`) path and everything both paths share: which tokens
 * are refused, with which sentence, and that a valid token only opens its own user's data.
 */

const secretKey = (secret = TEST_SECRET) => new TextEncoder().encode(secret);
const now = () => Math.floor(Date.now() / 1000);

/** An HS256 token for `sub`, valid for 10 minutes unless `claims` says otherwise. */
function hs256(claims: JWTPayload, secret = TEST_SECRET): Promise<string> {
  return new SignJWT({ iat: now(), exp: now() + 600, ...claims })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(secretKey(secret));
}

const listConversations = (http: supertest.Agent, userId: string, authorization?: string) => {
  const test = http.get(`/api/${encodeURIComponent(userId)}/conversations`);
  return authorization === undefined ? test : test.set('Authorization', authorization);
};

const UNAUTHORIZED = 'Unauthorized';
const NOT_VERIFIED = "We couldn't verify your sign-in. Please sign in again.";
const UNREADABLE = 'Your sign-in could not be read. Please sign in again.';

function assertRefused(res: supertest.Response, detail: string, code: string) {
  assert.equal(res.status, 401);
  assert.deepEqual(res.body, { error: UNAUTHORIZED, detail, code });
  assert.match(res.headers['www-authenticate'] ?? '', /^Bearer\b/);
}

describe('authentication: requests without a usable token get 401 and a sentence', () => {
  it('asks a caller without an Authorization header to sign in', async () => {
    const { http } = await testApp();
    const res = await listConversations(http, newUser());
    assertRefused(res, 'Please sign in to use the chat.', 'missing_token');
    assert.equal(res.headers['www-authenticate'], 'Bearer');
  });

  it('refuses an Authorization header that is not a Bearer token', async () => {
    const { http } = await testApp();
    const user = newUser();
    const token = await hs256({ sub: user });
    for (const header of [`Basic ${Buffer.from('alice:pw').toString('base64')}`, token, `Bearer`, `Bearer ${token} extra`]) {
      assertRefused(await listConversations(http, user, header), UNREADABLE, 'malformed_token');
    }
  });

  it('refuses a token that is not a JWT at all', async () => {
    const { http } = await testApp();
    for (const garbage of ['not-a-jwt', 'aaa.bbb.ccc', '...']) {
      assertRefused(await listConversations(http, newUser(), `Bearer ${garbage}`), UNREADABLE, 'malformed_token');
    }
  });

  it('refuses an unsigned token (alg: none) even when its claims look right', async () => {
    const { http } = await testApp();
    const user = newUser();
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const payload = base64url.encode(JSON.stringify({ sub: user, iat: now(), exp: now() + 600 }));
    const res = await listConversations(http, user, `Bearer ${header}.${payload}.`);
    assertRefused(res, NOT_VERIFIED, 'invalid_token');
    assert.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"');
  });

  it('refuses an HS256 token signed with a different secret', async () => {
    const { http } = await testApp();
    const user = newUser();
    const forged = await hs256({ sub: user }, 'another-secret-that-is-also-long-enough-0123456789');
    assertRefused(await listConversations(http, user, `Bearer ${forged}`), NOT_VERIFIED, 'invalid_token');
  });

  it('refuses a token whose payload was edited after signing', async () => {
    const { http } = await testApp();
    const [alice, mallory] = [newUser(), newUser()];
    const [header, , signature] = (await hs256({ sub: mallory })).split('.');
    const edited = base64url.encode(JSON.stringify({ sub: alice, iat: now(), exp: now() + 600 }));
    assertRefused(await listConversations(http, alice, `Bearer ${header}.${edited}.${signature}`), NOT_VERIFIED, 'invalid_token');
  });

  it('says the session expired for a token that expired more than 30 seconds ago', async () => {
    const { http } = await testApp();
    const user = newUser();
    const stale = await hs256({ sub: user, iat: now() - 3600, exp: now() - 60 });
    const res = await listConversations(http, user, `Bearer ${stale}`);
    assertRefused(res, 'Your session has expired. Please sign in again.', 'token_expired');
  });

  it('still accepts a token that expired 10 seconds ago, because clocks drift', async () => {
    const { http } = await testApp();
    const user = newUser();
    const justExpired = await hs256({ sub: user, iat: now() - 3600, exp: now() - 10 });
    const res = await listConversations(http, user, `Bearer ${justExpired}`).expect(200);
    assert.deepEqual(res.body.conversations, []);
  });

  it('refuses a token that is not valid yet (nbf beyond the clock skew)', async () => {
    const { http } = await testApp();
    const user = newUser();
    const future = await hs256({ sub: user, nbf: now() + 300 });
    assertRefused(await listConversations(http, user, `Bearer ${future}`), NOT_VERIFIED, 'invalid_token');
  });

  it('refuses a token that never expires', async () => {
    const { http } = await testApp();
    const user = newUser();
    const forever = await new SignJWT({ sub: user, iat: now() }).setProtectedHeader({ alg: 'HS256' }).sign(secretKey());
    assertRefused(await listConversations(http, user, `Bearer ${forever}`), NOT_VERIFIED, 'invalid_token');
  });

  it('refuses a token that does not name a user', async () => {
    const { http } = await testApp();
    const user = newUser();
    for (const claims of [{ email: 'a@example.com' }, { sub: '' }, { sub: 'x'.repeat(256) }]) {
      const res = await listConversations(http, user, `Bearer ${await hs256(claims)}`);
      assertRefused(res, "Your sign-in doesn't say who you are. Please sign in again.", 'missing_user_claim');
    }
  });

  it('refuses an RS256 token when only the shared secret is configured', async () => {
    const { http } = await testApp();
    const user = newUser();
    const { privateKey } = await generateKeyPair('RS256');
    const rs256 = await new SignJWT({ sub: user, iat: now(), exp: now() + 600 }).setProtectedHeader({ alg: 'RS256' }).sign(privateKey);
    assertRefused(await listConversations(http, user, `Bearer ${rs256}`), NOT_VERIFIED, 'invalid_token');
  });

  it('refuses HS384/HS512 tokens signed with the right secret: only HS256 is the shared-secret algorithm', async () => {
    const { http } = await testApp();
    const user = newUser();
    for (const alg of ['HS384', 'HS512']) {
      const token = await new SignJWT({ sub: user, iat: now(), exp: now() + 600 }).setProtectedHeader({ alg }).sign(secretKey());
      assertRefused(await listConversations(http, user, `Bearer ${token}`), NOT_VERIFIED, 'invalid_token');
    }
  });
});

describe('authentication: issuer and audience', () => {
  const env = { AUTH_ISSUER: 'https://app.example.com', AUTH_AUDIENCE: 'https://app.example.com' };

  it('accepts a token from the configured issuer for the configured audience', async () => {
    const { http } = await testApp({ env });
    const user = newUser();
    const token = await hs256({ sub: user, iss: 'https://app.example.com', aud: 'https://app.example.com' });
    await listConversations(http, user, `Bearer ${token}`).expect(200);
  });

  it('treats a trailing slash as the same base URL, as Better Auth writes baseURL as configured', async () => {
    const { http } = await testApp({ env: { AUTH_ISSUER: 'https://app.example.com/', AUTH_AUDIENCE: 'https://app.example.com' } });
    const user = newUser();
    const token = await hs256({ sub: user, iss: 'https://app.example.com', aud: 'https://app.example.com/' });
    await listConversations(http, user, `Bearer ${token}`).expect(200);
  });

  it('refuses a token from another issuer, for another audience, or without either', async () => {
    const { http } = await testApp({ env });
    const user = newUser();
    const good = { iss: 'https://app.example.com', aud: 'https://app.example.com' };
    for (const claims of [
      { ...good, iss: 'https://evil.example.com' },
      { ...good, aud: 'https://other-app.example.com' },
      { aud: good.aud },
      { iss: good.iss },
    ]) {
      const res = await listConversations(http, user, `Bearer ${await hs256({ sub: user, ...claims })}`);
      assertRefused(res, NOT_VERIFIED, 'invalid_token');
    }
  });
});

describe('authorization: a token opens only its own user', () => {
  it("answers 403 when the path names another user than the token's", async () => {
    const { http } = await testApp();
    const [alice, bob] = [newUser(), newUser()];
    const aliceToken = await hs256({ sub: alice });
    const res = await listConversations(http, bob, `Bearer ${aliceToken}`).expect(403);
    assert.deepEqual(res.body, {
      error: 'Forbidden',
      detail: 'Access denied. You can only open your own conversations.',
      code: 'forbidden',
    });
    const chat = await http
      .post(`/api/${bob}/chat`)
      .set('Authorization', `Bearer ${aliceToken}`)
      .send({ message: 'show me your tasks' })
      .expect(403);
    assert.equal(chat.body.code, 'forbidden');
  });

  it('takes the user from AUTH_USER_CLAIM=id (Better Auth puts the user id in `id` too)', async () => {
    const { http } = await testApp({ env: { AUTH_USER_CLAIM: 'id' } });
    const [byId, bySub] = [newUser(), newUser()];
    const token = await hs256({ sub: bySub, id: byId });
    await listConversations(http, byId, `Bearer ${token}`).expect(200);
    await listConversations(http, bySub, `Bearer ${token}`).expect(403);
    const withoutId = await hs256({ sub: bySub });
    const res = await listConversations(http, bySub, `Bearer ${withoutId}`);
    assert.equal(res.body.code, 'missing_user_claim');
  });

  it('lets the token owner chat and see only their own conversations', async () => {
    const { http } = await testApp();
    const [alice, bob] = [newUser(), newUser()];
    const [aliceToken, bobToken] = await Promise.all([hs256({ sub: alice }), hs256({ sub: bob })]);
    const turn = await http.post(`/api/${alice}/chat`).set('Authorization', `Bearer ${aliceToken}`).send({ message: 'hello' }).expect(200);
    assert.equal(turn.body.role, 'assistant');
    const mine = await listConversations(http, alice, `Bearer ${aliceToken}`).expect(200);
    assert.deepEqual(mine.body.conversations.map((c: { id: string }) => c.id), [turn.body.conversation_id]);
    const theirs = await listConversations(http, bob, `Bearer ${bobToken}`).expect(200);
    assert.deepEqual(theirs.body.conversations, []);
  });
});

describe('auth configuration', () => {
  it('defaults to the sub claim, a 10-minute JWKS cache and a 5-second refetch cooldown', () => {
    const { auth } = loadConfig({ AUTH_JWKS_URL: 'https://app.example.com/api/auth/jwks' });
    assert.deepEqual(
      [auth.userClaim, auth.jwksCacheMaxAgeMs, auth.jwksCooldownMs, auth.secret, auth.demo],
      ['sub', 600_000, 5_000, undefined, false],
    );
  });

  it('says what to set when an auth variable is wrong', () => {
    assert.throws(() => loadConfig({ AUTH_JWKS_URL: 'app.example.com/jwks' }), {
      name: 'ConfigError',
      message: 'AUTH_JWKS_URL must be a full URL such as https://app.example.com/api/auth/jwks; it is "app.example.com/jwks".',
    });
    assert.throws(() => loadConfig({ BETTER_AUTH_SECRET: TEST_SECRET, AUTH_JWKS_COOLDOWN_MS: 'soon' }), ConfigError);
    assert.throws(() => loadConfig({ NODE_ENV: 'production', BETTER_AUTH_SECRET: 'short' }), /at least 32 characters/);
    assert.throws(() => loadConfig({ NODE_ENV: 'production' }), /No authentication is configured/);
  });
});
