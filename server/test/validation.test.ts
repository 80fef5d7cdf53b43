import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { before, describe, it } from 'node:test';
import type supertest from 'supertest';
import { assertFriendlyError } from './api-assertions.js';
import { newUser, testApp, type TestApp, type UserClient } from './helpers.js';

/**
 * Every bad request a client (or an attacker) can send gets a 4xx `{error, detail, code}` that a
 * person can read, and changes nothing: the corpus below runs each case and then checks that the
 * user's conversations, messages and tasks are exactly what they were before.
 */

/** Ids the cases refer to, made once in `before`. Paths use them as `{conv}`, `{bobConv}`, `{bobMsg}`. */
interface Ids {
  conv: string;
  bobConv: string;
  bobMsg: string;
}

interface BadCase {
  name: string;
  method: 'get' | 'post' | 'patch' | 'delete' | 'put' | 'trace';
  /** Relative to `/api/{user_id}`; absolute when it starts with `//`. */
  path: string;
  /** A JSON value sent with `Content-Type: application/json`. */
  json?: unknown;
  /** Bytes sent as they are, with `type` (default `application/json`). */
  raw?: string | Buffer;
  type?: string;
  headers?: Record<string, string>;
  status: number;
  code: string;
  /** Part of the sentence the person reads. */
  detail?: RegExp;
}

const UUID_EXAMPLE = '3f2b8a4e-8c1d-4e8a-9b1a-2c3d4e5f6a7b';

const chat = (name: string, json: unknown, status: number, code: string, detail?: RegExp): BadCase => ({
  name, method: 'post', path: '/chat', json, status, code, detail,
});
const rawChat = (name: string, raw: string | Buffer, status: number, code: string, type?: string, headers?: Record<string, string>): BadCase => ({
  name, method: 'post', path: '/chat', raw, type, headers, status, code,
});
const get = (name: string, path: string, status: number, code: string, detail?: RegExp): BadCase => ({
  name, method: 'get', path, status, code, detail,
});
const rename = (name: string, json: unknown, status: number, code: string, path = '/conversations/{conv}'): BadCase => ({
  name, method: 'patch', path, json, status, code,
});
const nowhere = (method: BadCase['method'], path: string): BadCase => ({
  name: 'is not a route', method, path, status: 404, code: 'route_not_found', detail: /^There is no [A-Z]+ \/.* here\. Check the address and try again\.$/,
});

const cases: BadCase[] = [
  // ---- malformed JSON ----
  rawChat('truncated JSON', '{"message": "hi"', 400, 'invalid_json'),
  rawChat('a trailing comma', '{"message": "hi",}', 400, 'invalid_json'),
  rawChat('single quotes', "{'message': 'hi'}", 400, 'invalid_json'),
  rawChat('an unquoted key', '{message: "hi"}', 400, 'invalid_json'),
  rawChat('NaN', '{"message": NaN}', 400, 'invalid_json'),
  rawChat('a comment', '{"message": "hi"} // hi', 400, 'invalid_json'),
  rawChat('two objects', '{"message": "hi"}{"message": "again"}', 400, 'invalid_json'),
  rawChat('a bad escape', '{"message": "\\x41"}', 400, 'invalid_json'),
  rawChat('a raw newline inside a string', '{"message": "line\nbreak"}', 400, 'invalid_json'),
  rawChat('a lone bracket', '[', 400, 'invalid_json'),
  rawChat('a bare string', '"hello"', 400, 'invalid_json'),
  rawChat('a bare number', '42', 400, 'invalid_json'),
  rawChat('null', 'null', 400, 'invalid_json'),
  rawChat('true', 'true', 400, 'invalid_json'),
  rawChat('an empty array', '[]', 400, 'invalid_body'),
  rawChat('an array of requests', '[{"message": "hi"}]', 400, 'invalid_body'),
  rawChat('an empty body', '', 400, 'missing_field'),
  rawChat('an empty object', '{}', 400, 'missing_field'),
  rawChat('bytes that are not UTF-8', Buffer.from([0x7b, 0x22, 0x6d, 0x65, 0x73, 0x73, 0x61, 0x67, 0x65, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), 400, 'invalid_encoding'),
  rawChat('gzip that is not gzip', '{"message": "hi"}', 400, 'unreadable_body', undefined, { 'Content-Encoding': 'gzip' }),
  rawChat('an unknown Content-Encoding', '{"message": "hi"}', 415, 'unsupported_media_type', undefined, { 'Content-Encoding': 'compress' }),
  rawChat('a Latin-1 charset', '{"message": "hi"}', 415, 'unsupported_media_type', 'application/json; charset=latin1'),
  // ---- wrong content types ----
  rawChat('text/plain', '{"message": "hi"}', 415, 'unsupported_media_type', 'text/plain'),
  rawChat('a form', 'message=hi', 415, 'unsupported_media_type', 'application/x-www-form-urlencoded'),
  rawChat('multipart', '--b\r\nContent-Disposition: form-data; name="message"\r\n\r\nhi\r\n--b--\r\n', 415, 'unsupported_media_type', 'multipart/form-data; boundary=b'),
  rawChat('XML', '<message>hi</message>', 415, 'unsupported_media_type', 'application/xml'),
  rawChat('a JSON dialect', '{"message": "hi"}', 415, 'unsupported_media_type', 'application/merge-patch+json'),
  { name: 'no body and no Content-Type', method: 'post', path: '/chat', status: 415, code: 'unsupported_media_type' },
  // ---- huge bodies ----
  chat('a 70 000-character message', { message: 'x'.repeat(70_000) }, 413, 'payload_too_large', /^That request is too large\. Keep it under 64 KB\.$/),
  chat('a megabyte of padding', { message: 'hi', padding: 'x'.repeat(1 << 20) }, 413, 'payload_too_large'),
  rawChat('a gzip bomb', gzipSync(JSON.stringify({ message: 'hi', padding: ' '.repeat(1 << 20) })), 413, 'payload_too_large', undefined, { 'Content-Encoding': 'gzip' }),
  // ---- message ----
  chat('no message', { conversation_id: null }, 400, 'missing_field', /message is required/),
  chat('a number message', { message: 42 }, 400, 'invalid_type', /message must be text/),
  chat('an array message', { message: ['hi'] }, 400, 'invalid_type'),
  chat('an object message', { message: { text: 'hi' } }, 400, 'invalid_type'),
  chat('a boolean message', { message: true }, 400, 'invalid_type'),
  chat('a null message', { message: null }, 400, 'invalid_type'),
  chat('an empty message', { message: '' }, 400, 'empty_text', /message can't be empty/),
  chat('a blank message', { message: '   ' }, 400, 'empty_text'),
  chat('a message of tabs and newlines', { message: '\n\t \r\n' }, 400, 'empty_text'),
  chat('a message of ideographic spaces', { message: '\u3000\u00a0' }, 400, 'empty_text'),
  chat('a 4001-character message', { message: 'a'.repeat(4001) }, 400, 'text_too_long', /4001 characters long; the limit is 4000/),
  chat('4001 emoji', { message: '😀'.repeat(4001) }, 400, 'text_too_long', /4001 characters/),
  chat('4002 code points of combining marks', { message: 'e\u0301'.repeat(2001) }, 400, 'text_too_long'),
  chat('a NUL', { message: 'a\u0000b' }, 400, 'invalid_characters', /NUL or a broken emoji/),
  chat('only a NUL', { message: '\u0000' }, 400, 'invalid_characters'),
  chat('a lone high surrogate', { message: 'hi \ud83d' }, 400, 'invalid_characters'),
  chat('a lone low surrogate', { message: '\ude00 hi' }, 400, 'invalid_characters'),
  chat('a reversed surrogate pair', { message: '\ude00\ud83d' }, 400, 'invalid_characters'),
  // ---- conversation_id and client_message_id ----
  chat('a number conversation_id', { message: 'hi', conversation_id: 42 }, 400, 'invalid_id', /conversation_id must be a UUID/),
  chat('an array conversation_id', { message: 'hi', conversation_id: [] }, 400, 'invalid_id'),
  chat('an object conversation_id', { message: 'hi', conversation_id: {} }, 400, 'invalid_id'),
  chat('a boolean conversation_id', { message: 'hi', conversation_id: false }, 400, 'invalid_id'),
  chat('an empty conversation_id', { message: 'hi', conversation_id: '' }, 400, 'invalid_id'),
  chat('a word for conversation_id', { message: 'hi', conversation_id: 'latest' }, 400, 'invalid_id'),
  chat('a uuid without dashes', { message: 'hi', conversation_id: UUID_EXAMPLE.replaceAll('-', '') }, 400, 'invalid_id'),
  chat('a uuid in braces', { message: 'hi', conversation_id: `{${UUID_EXAMPLE}}` }, 400, 'invalid_id'),
  chat('a uuid with a trailing space', { message: 'hi', conversation_id: `${UUID_EXAMPLE} ` }, 400, 'invalid_id'),
  chat('SQL in conversation_id', { message: 'hi', conversation_id: "' OR '1'='1" }, 400, 'invalid_id'),
  chat('an unknown conversation', { message: 'hi', conversation_id: UUID_EXAMPLE }, 404, 'conversation_not_found', /couldn't find that conversation/),
  chat("someone else's conversation", { message: 'hi', conversation_id: '{bobConv}' }, 404, 'conversation_not_found'),
  chat('a number client_message_id', { message: 'hi', client_message_id: 7 }, 400, 'invalid_id', /client_message_id must be a UUID/),
  chat('a word client_message_id', { message: 'hi', client_message_id: 'retry-1' }, 400, 'invalid_id'),
  chat('an object client_message_id', { message: 'hi', client_message_id: { id: UUID_EXAMPLE } }, 400, 'invalid_id'),
  chat('a boolean client_message_id', { message: 'hi', client_message_id: true }, 400, 'invalid_id'),
  chat('an array client_message_id', { message: 'hi', client_message_id: [UUID_EXAMPLE] }, 400, 'invalid_id'),
  {
    ...chat('an empty message, streamed', { message: '' }, 400, 'empty_text'),
    headers: { Accept: 'text/event-stream' },
  },
  {
    ...chat("someone else's conversation, streamed", { message: 'hi', conversation_id: '{bobConv}' }, 404, 'conversation_not_found'),
    headers: { Accept: 'text/event-stream' },
  },
  // ---- GET /conversations ----
  get('limit 0', '/conversations?limit=0', 400, 'invalid_query', /limit must be a whole number from 1 to 100/),
  get('limit 101', '/conversations?limit=101', 400, 'invalid_query'),
  get('a negative limit', '/conversations?limit=-1', 400, 'invalid_query'),
  get('a word limit', '/conversations?limit=ten', 400, 'invalid_query'),
  get('a fractional limit', '/conversations?limit=1.5', 400, 'invalid_query'),
  get('an exponent limit', '/conversations?limit=1e1', 400, 'invalid_query'),
  get('a hex limit', '/conversations?limit=0x10', 400, 'invalid_query'),
  get('a signed limit', '/conversations?limit=%2B5', 400, 'invalid_query'),
  get('a padded limit', '/conversations?limit=%205', 400, 'invalid_query'),
  get('an empty limit', '/conversations?limit=', 400, 'invalid_query'),
  get('a repeated limit', '/conversations?limit=1&limit=2', 400, 'invalid_query'),
  get('SQL in limit', '/conversations?limit=1%3B%20DROP%20TABLE%20conversation', 400, 'invalid_query'),
  get('a negative offset', '/conversations?offset=-1', 400, 'invalid_query', /offset must be a whole number from 0/),
  get('a word offset', '/conversations?offset=next', 400, 'invalid_query'),
  get('a fractional offset', '/conversations?offset=0.5', 400, 'invalid_query'),
  get('a huge offset', '/conversations?offset=99999999999', 400, 'invalid_query'),
  get('a repeated offset', '/conversations?offset=0&offset=1', 400, 'invalid_query'),
  // ---- GET /conversations/{id} ----
  get('a word for an id', '/conversations/latest', 400, 'invalid_id', /conversation_id must be a UUID/),
  get('a number for an id', '/conversations/123', 400, 'invalid_id'),
  get('SQL for an id', "/conversations/1'%20OR%20'1'%3D'1", 400, 'invalid_id'),
  get('a broken %-escape', '/conversations/%E0%A4%A', 400, 'invalid_path', /broken %-escape/),
  get('an unknown conversation', `/conversations/${UUID_EXAMPLE}`, 404, 'conversation_not_found'),
  get("someone else's conversation", '/conversations/{bobConv}', 404, 'conversation_not_found'),
  get('before that is not a uuid', '/conversations/{conv}?before=abc', 400, 'invalid_id', /before must be a UUID/),
  get('before that is no message', `/conversations/{conv}?before=${UUID_EXAMPLE}`, 400, 'invalid_cursor', /before must be the id of a message in this conversation/),
  get("before from someone else's conversation", '/conversations/{conv}?before={bobMsg}', 400, 'invalid_cursor'),
  get('a repeated before', '/conversations/{conv}?before={bobMsg}&before={bobMsg}', 400, 'invalid_id'),
  get('message limit 0', '/conversations/{conv}?limit=0', 400, 'invalid_query', /limit must be a whole number from 1 to 500/),
  get('message limit 501', '/conversations/{conv}?limit=501', 400, 'invalid_query'),
  get('a negative message limit', '/conversations/{conv}?limit=-5', 400, 'invalid_query'),
  get('a repeated message limit', '/conversations/{conv}?limit=1&limit=2', 400, 'invalid_query'),
  // ---- PATCH /conversations/{id} ----
  rename('no title', {}, 400, 'missing_field'),
  rename('a number title', { title: 42 }, 400, 'invalid_type'),
  rename('a null title', { title: null }, 400, 'invalid_type'),
  rename('an array title', { title: ['a'] }, 400, 'invalid_type'),
  rename('an object title', { title: { text: 'a' } }, 400, 'invalid_type'),
  rename('a boolean title', { title: true }, 400, 'invalid_type'),
  rename('an empty title', { title: '' }, 400, 'empty_text'),
  rename('a blank title', { title: ' \t ' }, 400, 'empty_text'),
  rename('a 201-character title', { title: 'a'.repeat(201) }, 400, 'text_too_long'),
  rename('a NUL in the title', { title: 'a\u0000' }, 400, 'invalid_characters'),
  rename('a lone surrogate in the title', { title: 'a\ud800' }, 400, 'invalid_characters'),
  rename('a word for an id', { title: 'x' }, 400, 'invalid_id', '/conversations/latest'),
  rename('an unknown conversation', { title: 'x' }, 404, 'conversation_not_found', `/conversations/${UUID_EXAMPLE}`),
  rename("someone else's conversation", { title: 'mine now' }, 404, 'conversation_not_found', '/conversations/{bobConv}'),
  { name: 'a text/plain rename', method: 'patch', path: '/conversations/{conv}', raw: 'title=x', type: 'text/plain', status: 415, code: 'unsupported_media_type' },
  { name: 'a malformed rename', method: 'patch', path: '/conversations/{conv}', raw: '{"title": ', status: 400, code: 'invalid_json' },
  // ---- DELETE /conversations/{id} ----
  { name: 'a word for an id', method: 'delete', path: '/conversations/all', status: 400, code: 'invalid_id' },
  { name: 'an unknown conversation', method: 'delete', path: `/conversations/${UUID_EXAMPLE}`, status: 404, code: 'conversation_not_found' },
  { name: "someone else's conversation", method: 'delete', path: '/conversations/{bobConv}', status: 404, code: 'conversation_not_found' },
  // ---- GET /tasks ----
  get('an unknown status', '/tasks?status=done', 400, 'invalid_query', /status must be one of all, pending, completed/),
  get('an empty status', '/tasks?status=', 400, 'invalid_query'),
  get('a shouted status', '/tasks?status=PENDING', 400, 'invalid_query'),
  get('a repeated status', '/tasks?status=pending&status=completed', 400, 'invalid_query'),
  get('SQL in status', "/tasks?status=pending'%20OR%20'1'%3D'1", 400, 'invalid_query'),
  // ---- unknown routes and methods ----
  nowhere('get', '/nope'),
  nowhere('get', ''),
  nowhere('get', '/chat'),
  nowhere('put', '/chat'),
  nowhere('post', '/conversations'),
  nowhere('put', '/conversations'),
  nowhere('delete', '/conversations'),
  nowhere('put', '/conversations/{conv}'),
  nowhere('post', '/conversations/{conv}'),
  nowhere('get', '/conversations/{conv}/messages'),
  nowhere('post', '/tasks'),
  nowhere('delete', '/tasks'),
  nowhere('trace', '/tasks'),
  nowhere('get', '//api'),
  nowhere('get', '//nope.html'),
  { ...nowhere('get', '//wp-admin/'), headers: { Accept: 'text/html' } },
];

/** What the user can see of their data: it must not change when a request is refused. */
async function snapshot(alice: UserClient, bob: UserClient, ids: Ids) {
  const [conversations, detail, tasks, bobDetail] = await Promise.all([
    alice.get('/conversations?limit=100').expect(200),
    alice.get(`/conversations/${ids.conv}`).expect(200),
    alice.get('/tasks').expect(200),
    bob.get(`/conversations/${ids.bobConv}`).expect(200),
  ]);
  return { conversations: conversations.body, detail: detail.body, tasks: tasks.body, bob: bobDetail.body };
}

function send(http: TestApp['http'], token: string, userId: string, c: BadCase, ids: Ids): supertest.Test {
  const fill = (text: string) =>
    text.replace(/\{(conv|bobConv|bobMsg)\}/g, (_match, key: keyof Ids) => ids[key]);
  const path = c.path.startsWith('//') ? c.path.slice(1) : `/api/${userId}${fill(c.path)}`;
  let test = http[c.method](path).set('Authorization', `Bearer ${token}`);
  for (const [name, value] of Object.entries(c.headers ?? {})) test = test.set(name, value);
  if (c.json !== undefined) test = test.send(JSON.parse(fill(JSON.stringify(c.json))) as object);
  if (c.raw !== undefined) {
    test = test.set('Content-Type', c.type ?? 'application/json');
    // Bytes go out exactly as written, never re-serialized.
    test = test.serialize((body: unknown) => body as string).send(c.raw as string);
  }
  return test;
}

describe('bad input corpus', () => {
  let app: TestApp;
  let alice: UserClient;
  let bob: UserClient;
  let ids: Ids;
  let before_: Awaited<ReturnType<typeof snapshot>>;

  before(async () => {
    app = await testApp();
    alice = await app.as(newUser());
    bob = await app.as(newUser());
    const first = await alice.chat('add task buy milk').expect(200);
    await alice.chat('hello again', { conversation_id: first.body.conversation_id }).expect(200);
    await alice.chat('a second conversation').expect(200);
    const bobTurn = await bob.chat('bob only').expect(200);
    ids = { conv: first.body.conversation_id, bobConv: bobTurn.body.conversation_id, bobMsg: bobTurn.body.user_message_id };
    before_ = await snapshot(alice, bob, ids);
    assert.equal(before_.conversations.total, 2);
    assert.equal(before_.tasks.tasks.length, 1);
  });

  it('has dozens of cases', () => assert.ok(cases.length >= 100, `only ${cases.length} cases`));

  for (const c of cases) {
    it(`${c.method.toUpperCase()} ${c.path} with ${c.name} answers ${c.status} ${c.code} and writes nothing`, async () => {
      const res = await send(app.http, alice.token, alice.userId, c, ids);
      assert.equal(res.status, c.status, `expected ${c.status}, got ${res.status}: ${res.text.slice(0, 300)}`);
      assert.match(res.headers['content-type'] ?? '', /^application\/json/);
      assertFriendlyError(res.body);
      assert.equal(res.body.code, c.code);
      if (c.detail) assert.match(res.body.detail, c.detail);
      if (c.status === 413) assert.equal(res.body.error, 'Payload Too Large');
      assert.deepEqual(await snapshot(alice, bob, ids), before_);
    });
  }
});

describe('text that is accepted', () => {
  const stored: [string, string][] = [
    ['exactly 4000 characters', 'a'.repeat(4000)],
    ['exactly 4000 emoji (one character each)', '😀'.repeat(4000)],
    ['4000 CJK characters', '字'.repeat(4000)],
    ['4000 code points of combining marks', 'e\u0301'.repeat(2000)],
    ['emoji sequences', 'family 👨‍👩‍👧‍👦 flag 🇳🇱 skin 👍🏽 keycap 1️⃣'],
    ['50 emoji (a title that needs no cutting)', '🎉'.repeat(50)],
    ['right-to-left text', 'שלום עולם — مرحبا بالعالم'],
    ['combining marks', 'Ame\u0301lie, Zoë, n\u0303, Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇'],
    ['CJK', '你好，世界。今日は買い物に行きます。장보기'],
    ['control characters', 'tab\there\nnewline\r\ncrlf \u0001 start-of-heading \u007f delete \u001b[31m escape'],
    ['SQL', "'; DROP TABLE message; -- Robert'); DELETE FROM conversation;-- \\x00 %s $1"],
    ['HTML', '<script>alert(1)</script><img src=x onerror=alert(2)>'],
    ['leading and trailing spaces', '   spaced out   '],
    ['a JSON-looking message', '{"message": "nested", "conversation_id": null}'],
  ];

  for (const [name, message] of stored) {
    it(`stores and returns ${name} byte for byte`, async () => {
      const { as } = await testApp();
      const alice = await as(newUser());
      const turn = await alice.chat(message).expect(200);
      const detail = await alice.get(`/conversations/${turn.body.conversation_id}`).expect(200);
      assert.equal(detail.body.messages[0].content, message);
      assert.equal(Buffer.compare(Buffer.from(detail.body.messages[0].content), Buffer.from(message)), 0);
      // The title and preview are cut between characters, never inside an emoji.
      const [summary] = (await alice.get('/conversations').expect(200)).body.conversations;
      assert.ok(summary.title.isWellFormed() && !summary.title.includes('\ufffd'), summary.title);
      assert.ok(summary.last_message_preview.isWellFormed());
      const flat = message.replace(/\s+/g, ' ').trim();
      if ([...new Intl.Segmenter().segment(flat)].length <= 80) assert.equal(summary.title, flat);
      else assert.ok(summary.title.endsWith('…') && flat.startsWith(summary.title.slice(0, -1).trimEnd()), summary.title);
    });
  }

  it('accepts a null conversation_id as "start a new conversation" and an upper-case uuid', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const first = await alice.chat('first', { conversation_id: null }).expect(200);
    const second = await alice.chat('second', { conversation_id: first.body.conversation_id.toUpperCase() }).expect(200);
    assert.equal(second.body.conversation_id, first.body.conversation_id);
  });

  it('ignores fields it does not know, so newer clients keep working', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    await alice.chat('hi', { attachments: [], locale: 'nl-NL' }).expect(200);
  });

  it('stores a renamed title exactly, minus surrounding spaces', async () => {
    const { as } = await testApp();
    const alice = await as(newUser());
    const turn = await alice.chat('hi').expect(200);
    const title = 'Plans 📅 — שבוע\t一';
    const res = await alice.patch(`/conversations/${turn.body.conversation_id}`, { title: `  ${title}  ` }).expect(200);
    assert.equal(res.body.title, title);
    // The 200-character limit applies to the title as kept, after trimming.
    const long = await alice.patch(`/conversations/${turn.body.conversation_id}`, { title: ` ${'b'.repeat(200)} ` }).expect(200);
    assert.equal(long.body.title, 'b'.repeat(200));
  });

  it('serves a user whose id holds quotes, SQL and unicode, and only their data', async () => {
    const { as } = await testApp();
    const odd = await as(`o'brien"; DROP TABLE task;-- ${randomUUID()} 名`);
    const other = await as(newUser());
    await other.chat('add task secret plan').expect(200);
    await odd.chat('add task water plants').expect(200);
    const tasks = await odd.get('/tasks').expect(200);
    assert.deepEqual(tasks.body.tasks.map((t: { title: string }) => t.title), ['water plants']);
    assert.equal((await odd.get('/conversations').expect(200)).body.total, 1);
  });
});
