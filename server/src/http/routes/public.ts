import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import type { Config } from '../../config.js';
import { packagePath } from '../../paths.js';
import type { Store } from '../../store/store.js';
import { signDemoToken } from '../auth.js';
import { badRequest, databaseUnavailable, HttpError } from '../errors.js';
import { openApiDocument } from '../openapi.js';

/** Health checks, the OpenAPI document and the script-tag bundle: everything that needs no token. */
export function publicRoutes(store: Store): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const ping = store.ping();
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(databaseUnavailable()), 2_000).unref());
    await Promise.race([ping, timeout]).catch(() => {
      throw databaseUnavailable();
    });
    res.set('Cache-Control', 'no-store').json({ status: 'ready', database: store.kind });
  });

  router.get('/api/openapi.json', (_req, res) => {
    res.set('Access-Control-Allow-Origin', '*').json(openApiDocument());
  });

  router.get('/todo-chat.js', serveBundle());
  return router;
}

/**
 * `GET /todo-chat.js`: the self-contained script-tag build, cacheable (ETag, 304) and loadable from any
 * origin, so a host page needs only `<script src="https://<chat-server>/todo-chat.js">`.
 */
function serveBundle() {
  let cached: { body: Buffer; etag: string } | undefined;
  return async (req: Request, res: Response) => {
    if (!cached) {
      const body = await readFile(packagePath('dist', 'todo-chat.js')).catch(() => undefined);
      if (!body) {
        throw new HttpError(404, 'Not Found', 'The widget bundle has not been built yet. Run npm run build.', 'bundle_missing');
      }
      cached = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
    }
    res.set({
      'Content-Type': 'text/javascript; charset=utf-8',
      'Cache-Control': 'public, max-age=3600, stale-while-revalidate=86400',
      ETag: cached.etag,
      'Access-Control-Allow-Origin': '*',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    });
    if (req.fresh) {
      res.status(304).end();
      return;
    }
    res.send(cached.body);
  };
}

/**
 * Demo mode only (no auth configured, not production): the demo page at `/` and a token endpoint that
 * signs a token for any name. Never mounted otherwise.
 */
export function demoRoutes(config: Config): Router {
  const router = Router();

  router.get(['/', '/index.html'], async (_req, res) => {
    const nonce = randomBytes(16).toString('base64');
    const html = await readFile(packagePath('examples', 'script-tag', 'index.html'), 'utf8');
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-store',
        'Content-Security-Policy':
          `default-src 'self'; script-src 'self' 'nonce-${nonce}'; style-src 'self' 'unsafe-inline'; ` +
          `img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'; object-src 'none'`,
      })
      .send(html.replaceAll('<script', `<script nonce="${nonce}"`));
  });

  router.post('/demo/token', async (req, res) => {
    const raw = (req.body as { user_id?: unknown } | undefined)?.user_id;
    if (raw !== undefined && (typeof raw !== 'string' || !/^[\w.@-]{1,64}$/.test(raw))) {
      throw badRequest('user_id may use letters, digits, dots, dashes, @ and underscores (at most 64).', 'invalid_user');
    }
    const userId = raw ?? `demo-${randomUUID()}`;
    res.set('Cache-Control', 'no-store').json({ token: await signDemoToken(config.auth, userId), user_id: userId });
  });

  return router;
}
