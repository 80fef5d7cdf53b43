// Better Auth on the server. The jwt plugin is the only addition todo-chat needs: it issues short-lived JWTs
// (`GET /api/auth/token`) and publishes their public keys at `/api/auth/jwks`, which the chat server
// fetches (AUTH_JWKS_URL). No secret is shared with the chat server.
import { betterAuth } from 'better-auth';
import { nextCookies } from 'better-auth/next-js';
import { jwt } from 'better-auth/plugins';
import { Pool } from 'pg';

export const auth = betterAuth({
  baseURL: process.env.BETTER_AUTH_URL, // the tokens' iss and aud: the chat server's AUTH_ISSUER / AUTH_AUDIENCE
  database: new Pool({ connectionString: process.env.DATABASE_URL }),
  emailAndPassword: { enabled: true },
  plugins: [jwt(), nextCookies()], // nextCookies last: lets server actions set the session cookie
});
