import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type supertest from 'supertest';
import { openApiDocument } from '../src/http/openapi.js';
import { assertFriendlyError, bufferText, parseEvents } from './api-assertions.js';
import { startFakeLlm, type FakeLlm } from './fake-llm.js';
import { newUser, testApp, type TestApp, type UserClient } from './helpers.js';

/**
 * The OpenAPI document is the contract machines read, so it must describe what the server really
 * does: every documented operation is routed, and real responses (successes and errors) validate
 * against the documented schemas.
 */

type Json = Record<string, any>;
const doc = openApiDocument() as Json;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

const operations = Object.entries(doc.paths as Json).flatMap(([path, item]) =>
  METHODS.filter((method) => item[method]).map((method) => ({ path, method, op: item[method] as Json })),
);

/** Follows a local `$ref` such as `#/components/responses/BadRequest`. */
function resolve(node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  return (node.$ref as string).slice(2).split('/').reduce((at: Json, key) => at?.[key], doc);
}

// The component schemas as one draft 2020-12 schema, so `$ref`s resolve as they do in the document.
const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
addFormats.default(ajv);
const local = (schema: unknown) =>
  JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"todo-chat#/$defs/')) as Json;
ajv.addSchema({ $id: 'todo-chat', $defs: local(doc.components.schemas) });

function assertValid(schema: Json, value: unknown, where: string): void {
  const validate = ajv.compile(local(schema));
  assert.ok(validate(value), `${where}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(value).slice(0, 500)}`);
}

/** The response of a real request matches what the document says `method path` answers with that status. */
function assertConforms(res: supertest.Response, path: string, method: string): void {
  const op = doc.paths[path]?.[method];
  assert.ok(op, `the document has no ${method.toUpperCase()} ${path}`);
  const documented = op.responses[String(res.status)];
  assert.ok(documented, `${method.toUpperCase()} ${path} answered ${res.status}, which the document does not list`);
  const response = resolve(documented);
  const where = `${method.toUpperCase()} ${path} ${res.status}`;
  if (!response.content) {
    assert.equal(res.text ?? '', '', `${where} should have no body`);
    return;
  }
  const type = String(res.headers['content-type']).split(';')[0]!;
  const media = response.content[type];
  assert.ok(media, `${where} answered ${type}, documented: ${Object.keys(response.content).join(', ')}`);
  for (const [name, header] of Object.entries((response.headers ?? {}) as Json)) {
    if (name !== 'WWW-Authenticate' || res.status === 401) assert.ok(res.headers[name.toLowerCase()], `${where} lacks ${name}`);
    void header;
  }
  if (type === 'application/json') {
    assertValid(media.schema, res.body, where);
    if (res.status >= 400) assertFriendlyError(res.body);
  } else if (type === 'text/event-stream') {
    const events = parseEvents(res.body as string);
    assert.ok(events.length >= 2, `${where}: too few events`);
    for (const { event, data } of events) {
      const schema = media['x-sse-events'][event];
      assert.ok(schema, `${where}: undocumented event ${event}`);
      assertValid(schema, data, `${where} event ${event}`);
    }
  }
}

describe('the OpenAPI document', () => {
  it('has the OpenAPI 3.1 shape', () => {
    assert.equal(doc.openapi, '3.1.0');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(doc.info.version, pkg.version);
    assert.equal(doc.info.title, 'todo-chat');
    assert.deepEqual(Object.keys(doc).sort(), ['components', 'info', 'openapi', 'paths', 'security', 'tags']);
    assert.deepEqual(doc.components.securitySchemes.bearerAuth, {
      ...doc.components.securitySchemes.bearerAuth,
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'JWT',
    });
    assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
    const tags = new Set((doc.tags as Json[]).map((tag) => tag.name));
    const ids = new Set<string>();

    for (const { path, method, op } of operations) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.match(path, /^\//);
      assert.ok(op.operationId && !ids.has(op.operationId), `${where}: operationId missing or repeated`);
      ids.add(op.operationId);
      assert.ok(op.summary, `${where}: no summary`);
      assert.ok(op.tags.every((tag: string) => tags.has(tag)), `${where}: undeclared tag`);
      const allowed = ['operationId', 'tags', 'summary', 'description', 'parameters', 'requestBody', 'responses', 'security'];
      assert.deepEqual(Object.keys(op).filter((key) => !allowed.includes(key)), [], where);
      // Every {param} of the template is declared, required, in the path; and nothing else is.
      const templated = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      const declared = (op.parameters ?? []).filter((p: Json) => p.in === 'path');
      assert.deepEqual(declared.map((p: Json) => p.name).sort(), templated, where);
      assert.ok(declared.every((p: Json) => p.required === true), `${where}: a path parameter is not required`);
      for (const parameter of op.parameters ?? []) {
        assert.ok(['path', 'query', 'header'].includes(parameter.in) && parameter.schema, `${where}: bad parameter`);
      }
      // The API needs a token (the document-wide security); everything else says it needs none.
      assert.equal(op.security === undefined, path.startsWith('/api/{user_id}') || path === '/mcp', `${where}: security`);
      assert.ok(Object.keys(op.responses).length > 0);
      for (const [status, documented] of Object.entries(op.responses as Json)) {
        assert.match(status, /^[1-5]\d\d$/);
        const response = resolve(documented as Json);
        assert.ok(response?.description, `${where} ${status}: no description (or a broken $ref)`);
        for (const media of Object.values((response.content ?? {}) as Json)) {
          assert.deepEqual(Object.keys(media).filter((k) => !['schema', 'example', 'examples', 'encoding'].includes(k) && !k.startsWith('x-')), []);
          ajv.compile(local(media.schema));
        }
      }
      if (op.requestBody) ajv.compile(local(resolve(op.requestBody).content['application/json'].schema));
    }
  });

  it('has only $refs that resolve', () => {
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    assert.ok(refs.length > 20);
    for (const ref of new Set(refs)) assert.ok(resolve({ $ref: JSON.parse(`{${ref}}`).$ref }), ref);
  });

  it('shows error examples that are the friendly sentences the server sends', () => {
    const examples = Object.values(doc.components.responses as Json).flatMap((response) =>
      Object.values(response.content['application/json'].examples as Json),
    );
    assert.ok(examples.length >= 15);
    for (const example of examples) {
      assertValid({ $ref: '#/components/schemas/Error' }, example.value, example.summary);
      if (example.value.code !== 'internal_error' && !example.value.error.startsWith('Service')) assertFriendlyError(example.value);
    }
  });

  it('documents every operation the contract names', () => {
    const names = operations.map(({ path, method }) => `${method.toUpperCase()} ${path}`).sort();
    for (const expected of [
      'POST /api/{user_id}/chat',
      'GET /api/{user_id}/conversations',
      'GET /api/{user_id}/conversations/{conversation_id}',
      'PATCH /api/{user_id}/conversations/{conversation_id}',
      'DELETE /api/{user_id}/conversations/{conversation_id}',
      'GET /api/{user_id}/tasks',
      'GET /healthz',
      'GET /readyz',
      'GET /api/openapi.json',
      'GET /todo-chat.js',
      'POST /demo/token',
    ]) {
      assert.ok(names.includes(expected), `${expected} is missing`);
    }
    const sse = doc.paths['/api/{user_id}/chat'].post.responses[200].content['text/event-stream'];
    assert.deepEqual(Object.keys(sse['x-sse-events']).sort(), ['delta', 'done', 'error', 'start', 'tool_call']);
  });
});

describe('the server matches its OpenAPI document', () => {
  let app: TestApp;
  let demo: TestApp;
  let alice: UserClient;
  let conversation: string;

  before(async () => {
    app = await testApp();
    // Demo mode (no auth configured) also mounts the demo page and /demo/token.
    demo = await testApp({ env: { BETTER_AUTH_SECRET: '' } });
    alice = await demo.as(newUser());
    conversation = (await alice.chat('add task buy milk').expect(200)).body.conversation_id;
  });

  it('routes every documented operation (never route_not_found) and no undocumented method on those paths', async () => {
    for (const { path, method } of operations) {
      const url = path.replace('{user_id}', alice.userId).replace('{conversation_id}', conversation);
      let request = demo.http[method](url).set('Authorization', `Bearer ${alice.token}`).set('Accept', 'application/json, text/event-stream');
      if (method === 'post' || method === 'patch') {
        const body = path.endsWith('/chat') ? { message: 'hi' } : path === '/mcp' ? { jsonrpc: '2.0', id: 1, method: 'ping' } : { title: 'x' };
        request = request.send(body);
      }
      const res = await request;
      assert.notEqual(res.body?.code, 'route_not_found', `${method.toUpperCase()} ${path} is not routed`);
      assert.ok(res.status < 500, `${method.toUpperCase()} ${path} answered ${res.status}`);

      for (const other of ['put', 'patch', 'delete', 'post'] as const) {
        if (doc.paths[path][other]) continue;
        const stray = await demo.http[other](url).set('Authorization', `Bearer ${alice.token}`);
        // Under /api/{anything}/ the token is checked before the route, so a stray method may meet 403 first.
        assert.ok([403, 404, 405].includes(stray.status), `${other.toUpperCase()} ${path} answered ${stray.status}`);
      }
    }
  });

  it('answers the operations pages and health checks as documented', async () => {
    assertConforms(await app.http.get('/healthz'), '/healthz', 'get');
    assertConforms(await app.http.get('/readyz'), '/readyz', 'get');
    const openapi = await app.http.get('/api/openapi.json').expect(200);
    assertConforms(openapi, '/api/openapi.json', 'get');
    assert.deepEqual(openapi.body, JSON.parse(JSON.stringify(doc)));
    const bundle = await app.http.get('/todo-chat.js');
    assertConforms(bundle, '/todo-chat.js', 'get');
    if (bundle.status === 200) {
      assertConforms(await app.http.get('/todo-chat.js').set('If-None-Match', bundle.headers.etag!), '/todo-chat.js', 'get');
    }
    assertConforms(await demo.http.post('/demo/token').send({ user_id: 'ada@example.com' }), '/demo/token', 'post');
    assertConforms(await demo.http.post('/demo/token').send({ user_id: 'not allowed!' }), '/demo/token', 'post');
    assertConforms(await demo.http.get('/'), '/', 'get');
    assertConforms(await app.http.post('/demo/token').send({}), '/demo/token', 'post');
  });

  it('answers chat turns, JSON and streamed, and their errors as documented', async () => {
    const chat = '/api/{user_id}/chat';
    const bob = await app.as(newUser());
    const turn = await bob.chat('add task water the plants').expect(200);
    assert.equal(turn.body.tool_calls.length, 1);
    assertConforms(turn, chat, 'post');
    const streamed = await bob
      .post('/chat', { message: 'add task call mum', conversation_id: turn.body.conversation_id })
      .set('Accept', 'text/event-stream')
      .buffer(true)
      .parse(bufferText);
    assert.deepEqual(parseEvents(streamed.body as string).map((e) => e.event).filter((e) => e !== 'delta'), ['start', 'tool_call', 'done']);
    assertConforms(streamed, chat, 'post');

    assertConforms(await bob.chat('   '), chat, 'post');
    assertConforms(await bob.chat('hi', { conversation_id: randomUUID() }), chat, 'post');
    assertConforms(await app.http.post(`/api/${bob.userId}/chat`).send({ message: 'hi' }), chat, 'post');
    assertConforms(await app.http.post(`/api/${bob.userId}/chat`).set('Authorization', 'Bearer nonsense').send({ message: 'hi' }), chat, 'post');
    assertConforms(await bob.chat('x'.repeat(100_000)), chat, 'post');
    assertConforms(await bob.post('/chat').set('Content-Type', 'text/plain').send('hi'), chat, 'post');
    const other = await app.as(newUser());
    assertConforms(await app.http.post(`/api/${bob.userId}/chat`).set('Authorization', `Bearer ${other.token}`).send({ message: 'hi' }), chat, 'post');
  });

  describe('with a model that does not answer', () => {
    let llm: FakeLlm;
    before(async () => (llm = await startFakeLlm()));
    after(() => llm.close());

    it('answers a retry of a running turn with 409 and Retry-After, then the timeout with 504', async () => {
      const slow = await testApp({
        env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: llm.url, OPENAI_MODEL: 'fake', AGENT_TIMEOUT_MS: '3000' },
      });
      const carol = await slow.as(newUser());
      llm.script({ hang: true });
      const client_message_id = randomUUID();
      const first = carol.chat('add task slow', { client_message_id }).then((res) => res);
      while (llm.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      const retry = await carol.chat('add task slow', { client_message_id });
      assert.equal(retry.status, 409);
      assert.equal(retry.body.code, 'turn_in_progress');
      assertConforms(retry, '/api/{user_id}/chat', 'post');
      const timedOut = await first;
      assert.equal(timedOut.status, 504);
      assertConforms(timedOut, '/api/{user_id}/chat', 'post');

      llm.script({ status: 400, message: 'bad request' });
      const failed = await carol.chat('add task fails');
      assert.equal(failed.status, 502);
      assertConforms(failed, '/api/{user_id}/chat', 'post');
    });
  });

  it('answers the conversation and task operations and their errors as documented', async () => {
    const list = '/api/{user_id}/conversations';
    const one = '/api/{user_id}/conversations/{conversation_id}';
    const tasks = '/api/{user_id}/tasks';
    const dave = await app.as(newUser());
    const id = (await dave.chat('add task buy bread').expect(200)).body.conversation_id;
    await dave.chat('hello', { conversation_id: id }).expect(200);
    await dave.chat('add task complete buy bread', { conversation_id: id }).expect(200);

    assertConforms(await dave.get('/conversations'), list, 'get');
    assertConforms(await dave.get('/conversations?limit=1&offset=1'), list, 'get');
    assertConforms(await dave.get('/conversations?limit=0'), list, 'get');
    const whole = await dave.get(`/conversations/${id}`);
    assert.ok(whole.body.messages.some((m: Json) => m.tool_calls), 'no message carries tool_calls');
    assertConforms(whole, one, 'get');
    assertConforms(await dave.get(`/conversations/${id}?limit=2&before=${whole.body.messages[3].id}`), one, 'get');
    assertConforms(await dave.get(`/conversations/${id}?before=${randomUUID()}`), one, 'get');
    assertConforms(await dave.get(`/conversations/${randomUUID()}`), one, 'get');
    assertConforms(await dave.get('/conversations/nope'), one, 'get');
    assertConforms(await dave.patch(`/conversations/${id}`, { title: 'Bread' }), one, 'patch');
    assertConforms(await dave.patch(`/conversations/${id}`, { title: '' }), one, 'patch');
    assertConforms(await dave.patch(`/conversations/${randomUUID()}`, { title: 'x' }), one, 'patch');
    assertConforms(await dave.patch(`/conversations/${id}`).set('Content-Type', 'text/plain').send('x'), one, 'patch');
    assertConforms(await dave.get('/tasks'), tasks, 'get');
    assertConforms(await dave.get('/tasks?status=completed'), tasks, 'get');
    assertConforms(await dave.get('/tasks?status=later'), tasks, 'get');
    assertConforms(await dave.delete(`/conversations/${id}`), one, 'delete');
    assertConforms(await dave.delete(`/conversations/${id}`), one, 'delete');

    const lost = await dave.get('/nothing-here').expect(404);
    assertValid({ $ref: '#/components/schemas/Error' }, lost.body, 'route_not_found');
    assertFriendlyError(lost.body);
  });
});
