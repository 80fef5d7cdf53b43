import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { expressjwt, UnauthorizedError } from 'express-jwt';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors as joseErrors,
  jwtVerify,
  SignJWT,
  type JWTPayload,
} from 'jose';
import type { AuthConfig } from '../config.js';
import { HttpError, unauthorized } from './errors.js';

/** The verified caller, set on `req.auth` by `authenticate`. */
export interface AuthInfo {
  /** The user id from the token's user claim (`sub` by default). The only source of identity. */
  userId: string;
  claims: JWTPayload;
}

declare module 'express-serve-static-core' {
  interface Request {
    auth?: AuthInfo;
  }
}

/** Algorithms Better Auth's jwt plugin can sign with (EdDSA/Ed25519 is its default). */
const ASYMMETRIC_ALGORITHMS = ['EdDSA', 'ES256', 'ES384', 'ES512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const CLOCK_TOLERANCE_SECONDS = 30;

const expired = () => unauthorized('Your session has expired. Please sign in again.', 'token_expired');
const invalid = () => unauthorized("We couldn't verify your sign-in. Please sign in again.", 'invalid_token');
const authUnavailable = () =>
  new HttpError(503, 'Service Unavailable', "We can't check your sign-in right now. Please try again in a moment.", 'auth_unavailable', {
    'Retry-After': '5',
  });

function bearerToken(req: Request): string {
  const header = req.headers.authorization;
  if (!header) throw unauthorized('Please sign in to use the chat.', 'missing_token');
  const match = /^Bearer\s+([A-Za-z0-9_\-.=+/]+)\s*$/i.exec(header);
  if (!match) throw unauthorized('Your sign-in could not be read. Please sign in again.', 'malformed_token');
  return match[1]!;
}

/** Runs an express-style middleware and resolves when it calls `next`. */
function run(middleware: RequestHandler, req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    void middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve()));
  });
}

/**
 * Verifies the bearer token and sets `req.auth`. HS256 tokens (shared `BETTER_AUTH_SECRET`) go through
 * express-jwt; asymmetric ones (Better Auth's jwt plugin, JWKS) through jose, because jsonwebtoken
 * cannot verify EdDSA. Each path accepts only its own algorithms, so `alg: none` and
 * algorithm-confusion tokens are refused.
 */
export function authenticate(config: AuthConfig): RequestHandler {
  const hs256 = config.secret
    ? expressjwt({
        secret: config.secret,
        algorithms: ['HS256'],
        issuer: config.issuer,
        audience: config.audience,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requestProperty: 'jwtClaims',
      })
    : undefined;
  const jwks = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 })
    : undefined;

  async function verify(req: Request, res: Response, token: string): Promise<JWTPayload> {
    let alg: string | undefined;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized('Your sign-in could not be read. Please sign in again.', 'malformed_token');
    }
    if (alg === 'HS256' && hs256) {
      try {
        await run(hs256, req, res);
      } catch (error) {
        if (error instanceof UnauthorizedError && (error.inner as Error | undefined)?.name === 'TokenExpiredError') throw expired();
        throw invalid();
      }
      return (req as unknown as { jwtClaims: JWTPayload }).jwtClaims;
    }
    if (alg && jwks && ASYMMETRIC_ALGORITHMS.includes(alg)) {
      try {
        const { payload } = await jwtVerify(token, jwks, {
          algorithms: ASYMMETRIC_ALGORITHMS,
          issuer: config.issuer,
          audience: config.audience,
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        });
        return payload;
      } catch (error) {
        if (error instanceof joseErrors.JWTExpired) throw expired();
        if (error instanceof joseErrors.JWKSTimeout || isNetworkError(error)) throw authUnavailable();
        throw invalid();
      }
    }
    throw invalid();
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    const claims = await verify(req, res, bearerToken(req));
    const userId = claims[config.userClaim];
    if (typeof userId !== 'string' || userId.trim() === '' || userId.length > 255) throw invalid();
    req.auth = { userId, claims };
    next();
  };
}

function isNetworkError(error: unknown): boolean {
  return (
    error instanceof TypeError ||
    (error instanceof joseErrors.JOSEError && error.code === 'ERR_JOSE_GENERIC' && /fetch|network|status code/i.test(error.message))
  );
}

/** Signs an HS256 token the server accepts (demo mode and tests). */
export async function signDemoToken(
  config: AuthConfig,
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
