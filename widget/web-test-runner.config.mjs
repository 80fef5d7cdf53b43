// Widget tests: mocha in Debian's Chromium against the REAL todo-chat server, started in-process from the
// build (`npm run build` first; `pretest` does it). In front of it sits a small "fault proxy", a real HTTP
// hop the tests switch into failure modes (drop, delay, 5xx/429), so errors are tested end to end.
//   npm run test:widget                 (PGlite in memory)
//   DATABASE_URL=postgres://… npm run test:widget
import { createServer, request } from 'node:http';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { loadConfig, signDemoToken, startServer } from '../dist/server/index.js';
import { CHROMIUM_ARGS as CHROME_FLAGS, CHROMIUM_PATH } from './test/chromium.mjs';


/** Fault rules per user id (the `/api/{user_id}/…` path segment), so parallel tests never see each other's. */
const faults = new Map();

function takeFault(req) {
  const match = /^\/api\/([^/?]+)(\/[^?]*)?/.exec(req.url ?? '');
  const rules = match && faults.get(decodeURIComponent(match[1]));
  const rule = rules?.find((r) => (!r.method || r.method === req.method) && (!r.path || (match[2] ?? '').includes(r.path)));
  if (!rule) return undefined;
  if (--rule.times <= 0) rules.splice(rules.indexOf(rule), 1);
  return rule;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The fault proxy: forwards everything to the server unless a rule for the request's user says
 * `drop` (reset the connection: "server down"), `drop-after` (let the server answer, then reset before
 * the client sees it: "connection lost"), `truncate` (end a stream before its `done` event), `delay`
 * (a slow server), `status` (answer 503/429/… itself) or `stream-error` (a stream that reports a failure).
 */
function startFaultProxy(target) {
  const upstreamUrl = new URL(target);
  const proxy = createServer(async (req, res) => {
    const fault = req.method === 'OPTIONS' ? undefined : takeFault(req);
    if (fault?.mode === 'drop') return req.socket.destroy();
    if (fault?.mode === 'status') {
      res.writeHead(fault.status, {
        'Content-Type': 'application/json',
        'Access-Control-Allow-Origin': '*',
        'Access-Control-Expose-Headers': 'Retry-After',
        ...(fault.retryAfter !== undefined ? { 'Retry-After': String(fault.retryAfter) } : {}),
      });
      res.end(JSON.stringify({ error: 'Fault', detail: `The fault proxy answered ${fault.status}.`, code: 'fault' }));
      return;
    }
    if (fault?.mode === 'stream-error') {
      // What the server sends when the assistant fails after the stream opened.
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Access-Control-Allow-Origin': '*' });
      res.end(`event: error\ndata: ${JSON.stringify({ error: 'Gateway Timeout', detail: 'The assistant took too long to answer.', code: 'assistant_timeout' })}\n\n`);
      return;
    }
    if (fault?.mode === 'delay') {
      await sleep(fault.delayMs);
      if (req.socket.destroyed) return; // the client gave up while we waited
    }
    const upstream = request(
      { host: upstreamUrl.hostname, port: upstreamUrl.port, path: req.url, method: req.method, headers: req.headers },
      (answer) => {
        if (fault?.mode === 'drop-after') {
          answer.resume();
          answer.on('end', () => req.socket.destroy());
          return;
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        if (fault?.mode !== 'truncate') return answer.pipe(res);
        // Pass the stream through but end it cleanly just before its final `done` event.
        answer.on('data', (chunk) => {
          if (res.writableEnded) return;
          const text = chunk.toString('utf8');
          const done = text.indexOf('event: done');
          if (done === -1) res.write(text);
          else res.end(text.slice(0, done));
        });
        answer.on('end', () => res.end());
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => {
      if (fault?.mode !== 'drop-after') upstream.destroy();
    });
    req.pipe(upstream);
  });
  return new Promise((resolve) =>
    proxy.listen(0, '127.0.0.1', () => resolve({ proxy, url: `http://127.0.0.1:${proxy.address().port}` })),
  );
}

/**
 * Starts the server and the proxy with wtr (a plugin), and answers the tests' `/__todo_chat/*` requests
 * (a middleware, which runs before the static file server): their addresses, the fault switches, and
 * an expired token.
 */
function todoChatServer() {
  let config;
  let running;
  let fault;
  const plugin = {
    name: 'todo-chat-server',
    async serverStart() {
      // Demo mode (no secret configured): tests get real tokens from POST /demo/token.
      config = loadConfig({
        PORT: '0',
        HOST: '127.0.0.1',
        DATA_DIR: ':memory:',
        ...(process.env.DATABASE_URL ? { DATABASE_URL: process.env.DATABASE_URL } : {}),
        LOG_LEVEL: 'silent',
        CORS_ORIGINS: '*',
        RATE_LIMIT_PER_MINUTE: '0',
      });
      running = await startServer(config);
      fault = await startFaultProxy(running.url);
    },
    async serverStop() {
      await new Promise((resolve) => (fault ? fault.proxy.close(resolve) : resolve()));
      await running?.close();
    },
  };

  const middleware = async (ctx, next) => {
    if (!ctx.path.startsWith('/__todo_chat/')) return next();
    const q = ctx.query;
    ctx.set('Cache-Control', 'no-store');
    if (ctx.path === '/__todo_chat/config.json') {
      ctx.body = { serverUrl: running.url, proxyUrl: fault.url };
    } else if (ctx.path === '/__todo_chat/fault') {
      // ?user=…&mode=drop|drop-after|truncate|delay|status|stream-error|clear[&status=503&retryAfter=2&delayMs=…&times=…&method=POST&path=/chat]
      if (q.mode === 'clear') faults.delete(q.user);
      else {
        const rules = faults.get(q.user) ?? [];
        rules.push({
          mode: q.mode,
          status: Number(q.status ?? 503),
          retryAfter: q.retryAfter,
          delayMs: Number(q.delayMs ?? 0),
          times: q.times ? Number(q.times) : Infinity,
          method: q.method,
          path: q.path,
        });
        faults.set(q.user, rules);
      }
      ctx.body = { ok: true };
    } else if (ctx.path === '/__todo_chat/expired-token') {
      // Signed with the server's own secret, but expired an hour ago: what a stale session sends.
      ctx.body = { token: await signDemoToken(config.auth, String(q.user), Math.floor(Date.now() / 1000) - 3600) };
    } else {
      ctx.status = 404;
    }
  };
  return { plugin, middleware };
}

const server = todoChatServer();

export default {
  files: ['widget/test/**/*.test.ts'],
  nodeResolve: true,
  // Two cores shared with other suites: one page at a time, generous timeouts.
  concurrency: 1,
  browserStartTimeout: 120_000,
  testsStartTimeout: 120_000,
  testsFinishTimeout: 600_000,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: CHROMIUM_PATH, headless: true, args: CHROME_FLAGS },
    }),
  ],
  // TS with standard decorators (`@property() accessor x`), lowered for Chromium, which lacks decorators.
  middleware: [server.middleware],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }), server.plugin],
  testFramework: { config: { timeout: 20_000, slow: 2_000 } },
  coverage: true,
  coverageConfig: {
    include: ['widget/src/**'],
    report: true,
    reportDir: 'coverage/widget',
    reporters: ['text-summary', 'lcov'],
    threshold: { lines: 80, statements: 0, branches: 0, functions: 0 },
  },
  // The virtualizer's ResizeObserver can report the benign "loop completed with undelivered notifications";
  // swallow just that one before mocha's error handler turns it into a failed test.
  testRunnerHtml: (testFramework) => `<!doctype html>
<html>
  <head>
    <script>
      window.addEventListener('error', (event) => {
        if (/ResizeObserver loop/.test(event.message)) {
          event.stopImmediatePropagation();
          event.preventDefault();
        }
      });
    </script>
  </head>
  <body>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
};
