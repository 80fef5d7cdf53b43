import { createSecretKey } from 'node:crypto';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expressjwt, UnauthorizedError } from 'express-jwt';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import type { AuthConfig } from '../config.js';
import { HttpError } from './errors.js';

/** The verified caller, set on `req.auth` by `authenticate`. */
export interface AuthInfo {
  /** The user id from the token's user claim (`sub` by default). The only source of identity. */
  userId: string;
  claims: JWTPayload;
  /** The verified bearer token itself, for a host task API that acts as the user (TASKS_API_URL). */
  token: string;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthInfo;
  }
}

/** Algorithms Better Auth's jwt plugin can sign with (EdDSA/Ed25519 is its default). */
const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
/** Clocks of the token issuer and this server may disagree by this much before `exp`/`nbf` fail. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** The longest user id we accept; the database column is text, but an absurd id is a broken token. */
const MAX_USER_ID_LENGTH = 255;

// RFC 6750 §3: no error code when credentials are missing, `invalid_token` when they were refused.
const refused = (detail: string, code: string) =>
  new HttpError(401, 'Unauthorized', detail, code, { 'WWW-Authenticate': 'Bearer error="invalid_token"' });

const missingToken = () =>
  new HttpError(401, 'Unauthorized', 'Please sign in to use the chat.', 'missing_token', { 'WWW-Authenticate': 'Bearer' });
const malformed = () => refused('Your sign-in could not be read. Please sign in again.', 'malformed_token');
const expired = () => refused('Your session has expired. Please sign in again.', 'token_expired');
const invalid = () => refused("We couldn't verify your sign-in. Please sign in again.", 'invalid_token');
const missingUser = () => refused("Your sign-in doesn't say who you are. Please sign in again.", 'missing_user_claim');
const authUnavailable = (cause: unknown) =>
  Object.assign(
    new HttpError(503, 'Service Unavailable', "We can't check your sign-in right now. Please try again in a moment.", 'auth_unavailable', {
      'Retry-After': '5',
    }),
    { cause },
  );

/** Thrown by our key lookup when the JWKS could not be fetched or read: an outage, not a bad token. */
class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header?.trim()) throw missingToken();
  const match = /^Bearer +([A-Za-z0-9_\-.=+/]+) *$/i.exec(header);
  if (!match) throw malformed();
  return match[1]!;
}

/** Runs an express-style middleware and resolves when it calls `next`. */
function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * Both spellings of a configured issuer/audience: Better Auth uses its `baseURL` as written, so
 * `https://app.example.com` and `https://app.example.com/` name the same app.
 */
function slashVariants(value: string | undefined): [string, ...string[]] | undefined {
  if (!value) return undefined;
  const bare = value.replace(/\/+$/, '');
  return bare === value ? [value, `${value}/`] : [value, bare];
}

/**
 * Fetches and caches the JWKS. A key id we have not seen triggers one refetch (key rotation), but at
 * most once per `jwksCooldownMs`, so tokens with made-up `kid`s cannot make us hammer the auth server.
 * Failures to get the key set are re-thrown as `KeySetUnavailable` so they answer 503, not 401.
 */
function remoteKeySet(config: AuthConfig & { jwksUrl: string }): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(new URL(config.jwksUrl), {
    cooldownDuration: config.jwksCooldownMs,
    cacheMaxAge: config.jwksCacheMaxAgeMs,
    timeoutDuration: 5_000,
  });
  return async (header, token) => {
    try {
      // One retry when the connection itself failed (fetch's TypeError): a keep-alive socket the JWKS
      // server closed a moment before we reused it is common and not an outage.
      return await keySet(header, token).catch((error: unknown) => {
        if (error instanceof TypeError) return keySet(header, token);
        throw error;
      });
    } catch (error) {
      // These three are about the token (unknown kid, unsupported alg, ambiguous kid), not the key set.
      if (
        error instanceof joseErrors.JWKSNoMatchingKey ||
        error instanceof joseErrors.JWKSMultipleMatchingKeys ||
        error instanceof joseErrors.JOSENotSupported
      ) {
        throw error;
      }
      throw new KeySetUnavailable(`The JWKS at ${config.jwksUrl} could not be loaded.`, { cause: error });
    }
  };
}

/**
 * One key set per configuration, so the chat routes and the MCP route of one app (each calls
 * `authenticate(config.auth)`) share one cache of the keys and one refetch cooldown.
 */
const keySets = new WeakMap<AuthConfig, JWTVerifyGetKey>();

function sharedKeySet(config: AuthConfig, jwksUrl: string): JWTVerifyGetKey {
  let keySet = keySets.get(config);
  if (!keySet) keySets.set(config, (keySet = remoteKeySet({ ...config, jwksUrl })));
  return keySet;
}

/**
 * Verifies the bearer token and sets `req.auth`. HS256 tokens (shared `BETTER_AUTH_SECRET`) go through
 * express-jwt; asymmetric ones (Better Auth's jwt plugin, JWKS) through jose, because jsonwebtoken
 * cannot verify EdDSA. Each path accepts only its own algorithms, so `alg: none` and
 * algorithm-confusion tokens (HS256 keyed with a public key, RS256 where only a secret is configured)
 * are refused. Both paths require `exp`: a token that never expires is a password that never changes.
 */
export function authenticate(config: AuthConfig): RequestHandler {
  const issuer = slashVariants(config.issuer);
  const audience = slashVariants(config.audience);
  const hs256 = config.secret
    ? expressjwt({
        // A KeyObject, made once: given a string, jsonwebtoken first tries (and fails) to parse it as
        // a public key on every request, which was 12% of a chat turn's CPU.
        secret: createSecretKey(Buffer.from(config.secret, 'utf8')),
        algorithms: ['HS256'],
        issuer,
        audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requestProperty: 'jwtClaims',
        getToken: bearerToken,
      })
    : undefined;
  const jwks = config.jwksUrl ? sharedKeySet(config, config.jwksUrl) : undefined;

  async function verifyShared(req: Request, res: Response): Promise<JWTPayload> {
    try {
      await run(hs256!, req, res);
    } catch (error) {
      if (error instanceof UnauthorizedError && (error.inner as Error | undefined)?.name === 'TokenExpiredError') throw expired();
      throw invalid();
    }
    return (req as unknown as { jwtClaims: JWTPayload }).jwtClaims;
  }

  async function verifyAsymmetric(token: string): Promise<JWTPayload> {
    try {
      const { payload } = await jwtVerify(token, jwks!, {
        algorithms: ASYMMETRIC_ALGORITHMS,
        issuer,
        audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      return payload;
    } catch (error) {
      if (error instanceof KeySetUnavailable) throw authUnavailable(error);
      if (error instanceof joseErrors.JWTExpired) throw expired();
      throw invalid();
    }
  }

  async function verify(req: Request, res: Response, token: string): Promise<JWTPayload> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw malformed();
    }
    if (alg === 'HS256' && hs256) return verifyShared(req, res);
    if (typeof alg === 'string' && jwks && ASYMMETRIC_ALGORITHMS.includes(alg)) return verifyAsymmetric(token);
    throw invalid();
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    const token = bearerToken(req);
    const claims = await verify(req, res, token);
    if (typeof claims.exp !== 'number') throw invalid();
    const userId = claims[config.userClaim];
    if (typeof userId !== 'string' || userId.trim() === '' || userId.length > MAX_USER_ID_LENGTH) throw missingUser();
    req.auth = { userId, claims, token };
    next();
  };
}

/** Signs an HS256 token the server accepts (demo mode and tests). */
export async function signDemoToken(
  config: Pick<AuthConfig, 'secret' | 'issuer' | 'audience'>,
  userId: string,
  expiresIn: string | number = '12h',
): Promise<string> {
  if (!config.secret) throw new Error('Demo tokens need an HS256 secret.');
  const jwt = new SignJWT({ name: userId }).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setSubject(userId).setIssuedAt();
  if (config.issuer) jwt.setIssuer(config.issuer);
  if (config.audience) jwt.setAudience(config.audience);
  jwt.setExpirationTime(expiresIn);
  return jwt.sign(new TextEncoder().encode(config.secret));
}
