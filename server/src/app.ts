import cors, { type CorsOptions } from 'cors';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import helmet from 'helmet';
import type { Agent } from './agent/agent.js';
import { selectAgent, selectTasks } from './agent/select.js';
import { ChatService } from './chat/service.js';
import type { Config } from './config.js';
import { authenticate } from './http/auth.js';
import {
  badRequest,
  databaseUnavailable,
  forbidden,
  HttpError,
  internalError,
  payloadTooLarge,
  routeNotFound,
  tooManyRequests,
  unsupportedMediaType,
} from './http/errors.js';
import { createLogger, requestLogger, type Logger } from './http/logging.js';
import { chatRoutes } from './http/routes/chat.js';
import { conversationRoutes } from './http/routes/conversations.js';
import { demoRoutes, publicRoutes } from './http/routes/public.js';
import { taskRoutes } from './http/routes/tasks.js';
import { jsonParser } from './http/validation.js';
import { mcpRoutes } from './mcp/routes.js';
import { isDatabaseUnavailable } from './store/database.js';
import type { Store } from './store/store.js';

export interface AppDeps {
  config: Config;
  store: Store;
  /** The agent that answers; the built-in offline agent by default. */
  agent?: Agent;
  /** The chat service, when the caller wants to drain it on shutdown (main.ts does). */
  chat?: ChatService;
  logger?: Logger;
}

/** The chat turn as configured: the given agent or the one the config selects, and its task backend. */
export function createChatService(config: Config, store: Store, agent?: Agent): ChatService {
  return new ChatService(store, agent ?? selectAgent(config), {
    agentTimeoutMs: config.agentTimeoutMs,
    tasks: selectTasks(config, store),
  });
}

/** Builds the Express app. It never listens: `main.ts` (or a test, or a host's own server) does. */
export function createApp(deps: AppDeps): Express {
  const { config, store } = deps;
  const logger = deps.logger ?? createLogger(config.logLevel);
  const tasks = selectTasks(config, store);
  const chat = deps.chat ?? createChatService(config, store, deps.agent);

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.use(requestLogger(logger));
  app.use(helmet());

  const corsOptions: CorsOptions = {
    origin: (origin, callback) =>
      callback(null, !origin || config.corsOrigins.includes('*') || config.corsOrigins.includes(origin)),
    methods: ['GET', 'POST', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  };
  const json = jsonParser(config.bodyLimitBytes);

  app.use(publicRoutes(store));
  if (config.auth.demo) app.use(cors(corsOptions), json, demoRoutes(config));

  const noStore: RequestHandler = (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  };
  const sameUser: RequestHandler = (req, _res, next) => {
    if (req.params.user_id !== req.auth?.userId) throw forbidden();
    next();
  };
  const chatLimit: RequestHandler =
    config.rateLimitPerMinute > 0
      ? rateLimit({
          windowMs: 60_000,
          limit: config.rateLimitPerMinute,
          standardHeaders: 'draft-8',
          legacyHeaders: false,
          keyGenerator: (req) => req.auth!.userId,
          handler: (req, _res, next) => {
            const resetTime = (req as { rateLimit?: { resetTime?: Date } }).rateLimit?.resetTime;
            next(tooManyRequests(Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + 60_000) - Date.now()) / 1000))));
          },
        })
      : (_req, _res, next) => next();

  app.use('/api', cors(corsOptions), noStore);
  // A preflight from an origin that is not allowed ends here, without CORS headers (the browser then
  // blocks the real request), rather than reaching auth and answering 401.
  app.options('/api/{*rest}', (_req, res) => void res.status(204).end());
  const user = express.Router({ mergeParams: true });
  user.use(authenticate(config.auth), sameUser);
  user.post('/chat', chatLimit);
  user.use(json, chatRoutes(chat, toHttpError), conversationRoutes(store), taskRoutes(store));
  app.use('/api/:user_id', user);

  app.use(mcpRoutes({ auth: config.auth, tasks, json }));

  app.use((req, _res, next) => next(routeNotFound(req.method, req.path)));
  app.use(errorHandler(logger));
  return app;
}

interface BodyParserError {
  type?: string;
  status?: number;
  limit?: number;
}

/** Maps anything thrown to the `{error, detail}` family; unknown errors become a plain 500. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.parse.failed':
      return badRequest('the request body is not valid JSON.', 'invalid_json');
    case 'entity.too.large':
      return payloadTooLarge(`${Math.floor((parserError.limit ?? 0) / 1024)} KB`);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return unsupportedMediaType();
    case 'request.aborted':
    case 'request.size.invalid':
      return badRequest('the request body arrived incomplete.', 'incomplete_body');
  }
  // Express could not decode a %-escape in the path (e.g. /conversations/%E0%A4%A).
  if (error instanceof URIError) return badRequest('the address contains a broken %-escape.', 'invalid_path');
  // body-parser's other 400s: a compressed body that does not decompress.
  if ((error as { status?: number })?.status === 400) {
    return badRequest('the request body could not be read. Check its Content-Encoding.', 'unreadable_body');
  }
  if (isDatabaseUnavailable(error)) return databaseUnavailable();
  return internalError();
}

function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    const httpError = toHttpError(error);
    if (httpError.status >= 500) {
      (req.log ?? logger).error({ err: error, code: httpError.code }, 'request failed');
    }
    if (res.headersSent) {
      res.end();
      return;
    }
    res.status(httpError.status).set(httpError.headers).json(httpError.toBody());
  };
}
