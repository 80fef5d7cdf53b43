import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../src/http/logging.js';
import { packagePath } from '../src/paths.js';
import { newUser, testApp } from './helpers.js';

const APP_ORIGIN = 'https://app.example.com';

describe('CORS (CORS_ORIGINS)', () => {
  it('lets an allowed origin preflight a chat request with Authorization', async () => {
    const { http } = await testApp({ env: { CORS_ORIGINS: `${APP_ORIGIN}, https://admin.example.com/` } });
    const res = await http
      .options(`/api/${newUser()}/chat`)
      .set('Origin', APP_ORIGIN)
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type')
      .expect(204);
    assert.equal(res.headers['access-control-allow-origin'], APP_ORIGIN);
    assert.match(res.headers['access-control-allow-headers'], /\bauthorization\b/i);
    assert.match(res.headers['access-control-allow-headers'], /\bcontent-type\b/i);
    assert.match(res.headers['access-control-allow-methods'], /\bPOST\b/);
    // A trailing slash in the configured origin is forgiven.
    await http
      .options(`/api/${newUser()}/chat`)
      .set('Origin', 'https://admin.example.com')
      .set('Access-Control-Request-Method', 'POST')
      .expect('Access-Control-Allow-Origin', 'https://admin.example.com');
  });

  it('gives other origins no Access-Control-Allow-Origin, on preflights and on real requests', async () => {
    const { http, as } = await testApp({ env: { CORS_ORIGINS: APP_ORIGIN } });
    const preflight = await http
      .options(`/api/${newUser()}/chat`)
      .set('Origin', 'https://evil.example.net')
      .set('Access-Control-Request-Method', 'POST')
      .set('Access-Control-Request-Headers', 'authorization,content-type');
    assert.equal(preflight.headers['access-control-allow-origin'], undefined);
    assert.equal(preflight.headers['access-control-allow-headers'], undefined);
    // Refused by the browser for lack of CORS headers, not by auth: a preflight carries no token.
    assert.equal(preflight.status, 204);

    const alice = await as(newUser());
    const allowed = await alice.get('/conversations').set('Origin', APP_ORIGIN).expect(200);
    assert.equal(allowed.headers['access-control-allow-origin'], APP_ORIGIN);
    assert.match(allowed.headers['access-control-expose-headers'], /Retry-After/);
    const other = await alice.get('/conversations').set('Origin', 'https://evil.example.net');
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});

describe('request hardening', () => {
  it('sends helmet security headers', async () => {
    const { http } = await testApp();
    const res = await http.get('/healthz').expect(200);
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.match(res.headers['content-security-policy'], /default-src 'self'/);
    assert.ok(res.headers['strict-transport-security']);
    assert.equal(res.headers['x-powered-by'], undefined);
  });

  it('refuses a JSON body over BODY_LIMIT_BYTES with 413 and a sentence', async () => {
    const { as } = await testApp({ env: { BODY_LIMIT_BYTES: '1024' } });
    const alice = await as(newUser());
    const res = await alice.chat('x'.repeat(2000)).expect(413);
    assert.equal(res.body.error, 'Payload Too Large');
    assert.equal(res.body.detail, 'That request is too large. Keep it under 1 KB.');
  });

  it('limits chat turns per user (RATE_LIMIT_PER_MINUTE) with 429 and Retry-After, leaving other users alone', async () => {
    const { as } = await testApp({ env: { RATE_LIMIT_PER_MINUTE: '2' } });
    const alice = await as(newUser());
    await alice.chat('one').expect(200);
    await alice.chat('two').expect(200);
    const limited = await alice.chat('three').expect(429);
    const retryAfter = Number(limited.headers['retry-after']);
    assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After: ${retryAfter}`);
    assert.equal(limited.body.error, 'Too Many Requests');
    assert.equal(
      limited.body.detail,
      `You're sending messages faster than we can answer. Please wait ${retryAfter} seconds and try again.`,
    );
    // Reading is not rate limited, and the third message was not stored.
    const list = await alice.get('/conversations').expect(200);
    assert.equal(list.body.total, 2);

    const bob = await as(newUser());
    await bob.chat('hello').expect(200);
  });

  it('marks every /api/{user_id} response Cache-Control: no-store, errors included', async () => {
    const { http, as } = await testApp({ env: { RATE_LIMIT_PER_MINUTE: '1' } });
    const alice = await as(newUser());
    const responses = [
      await alice.chat('hi').expect(200),
      await alice.chat('again').expect(429),
      await alice.get('/conversations').expect(200),
      await alice.get('/tasks').expect(200),
      await alice.get('/conversations/not-a-uuid').expect(400),
      await alice.get('/nowhere').expect(404),
      await http.get(`/api/${alice.userId}/conversations`).expect(401),
      await http.get(`/api/${newUser()}/conversations`).set('Authorization', `Bearer ${alice.token}`).expect(403),
    ];
    for (const [i, res] of responses.entries()) assert.equal(res.headers['cache-control'], 'no-store', `response ${i + 1} (${res.status})`);
  });
});

describe('GET /todo-chat.js', () => {
  const bundle = packagePath('dist', 'todo-chat.js');
  if (!existsSync(bundle)) spawnSync('npm', ['run', 'build', '--silent'], { cwd: packagePath(), stdio: 'inherit' });
  const built = existsSync(bundle);

  it(
    built ? 'serves the script-tag bundle to any origin, with an ETag and 304 revalidation' : 'SKIPPED: dist/todo-chat.js is missing and npm run build failed',
    { skip: !built },
    async () => {
      const { http } = await testApp();
      const res = await http.get('/todo-chat.js').set('Origin', 'https://shop.example.org').expect(200);
      assert.match(res.headers['content-type'], /^text\/javascript/);
      assert.equal(res.headers['access-control-allow-origin'], '*');
      assert.equal(res.headers['cross-origin-resource-policy'], 'cross-origin');
      assert.match(res.headers.etag, /^"[\w-]+"$/);
      assert.equal(res.text, readFileSync(bundle, 'utf8'));
      const again = await http.get('/todo-chat.js').set('If-None-Match', res.headers.etag).expect(304);
      assert.equal(again.text, '');
      assert.equal(again.headers.etag, res.headers.etag);
    },
  );
});

describe('request logs', () => {
  function capture() {
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    return { logger: createLogger('info', stream), lines, records: () => lines.map((l) => JSON.parse(l)) };
  }

  it('writes one line per request with its id, method, path and status, and echoes X-Request-Id', async () => {
    const { logger, records } = capture();
    const { as } = await testApp({ logger });
    const alice = await as(newUser());
    const res = await alice.get('/conversations?limit=5').set('X-Request-Id', 'trace-42.a').expect(200);
    assert.equal(res.headers['x-request-id'], 'trace-42.a');
    const generated = await alice.get('/tasks').expect(200);
    assert.match(generated.headers['x-request-id'], /^[0-9a-f-]{36}$/);
    // An id that could forge log lines is replaced, not echoed.
    const forged = await alice.get('/tasks').set('X-Request-Id', 'bad id; level=error').expect(200);
    assert.notEqual(forged.headers['x-request-id'], 'bad id; level=error');

    const line = records().find((r) => r.req?.id === 'trace-42.a');
    assert.ok(line, 'a log line carries the request id');
    assert.equal(line.req.method, 'GET');
    assert.equal(line.req.path, `/api/${alice.userId}/conversations`);
    assert.equal(line.res.status, 200);
    assert.equal(line.level, 30);
    assert.ok(records().some((r) => r.req?.id === generated.headers['x-request-id']));
  });

  it('never writes the token or the message text', async () => {
    const { logger, lines } = capture();
    const { as } = await testApp({ logger, env: { BODY_LIMIT_BYTES: '1024' } });
    const alice = await as(newUser());
    const secretText = 'my bank pin is 4711 and my diary says hello';
    await alice.chat(secretText).expect(200);
    await alice.chat(`${secretText} ${'x'.repeat(2000)}`).expect(413);
    await alice.chat('', { note: secretText }).expect(400);
    const all = lines.join('\n');
    assert.ok(lines.length >= 3);
    assert.ok(!all.includes(alice.token), 'the token is not logged');
    assert.ok(!all.includes(alice.token.split('.')[2]!), 'not even the signature');
    assert.ok(!all.includes('4711'), 'the message text is not logged');
  });
});
