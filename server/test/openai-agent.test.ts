import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type supertest from 'supertest';
import { OpenAIAgent, type OpenAIAgentOptions } from '../src/agent/openai.js';
import { selectAgent } from '../src/agent/select.js';
import { ConfigError, loadConfig } from '../src/config.js';
import type { Task } from '../src/contract.js';
import { startFakeLlm, toolResults, type FakeLlm } from './fake-llm.js';
import { newUser, testApp, testConfig, type UserClient } from './helpers.js';

let llm: FakeLlm;
before(async () => (llm = await startFakeLlm()));
after(() => llm.close());

const agent = (options: Partial<OpenAIAgentOptions> = {}) =>
  new OpenAIAgent({ apiKey: 'sk-fake', baseURL: llm.url, model: 'fake-model', maxRetries: 0, ...options });

/** A fresh user on an app answered by the model agent, and the fake's request log from here on. */
async function modelUser(options: Partial<OpenAIAgentOptions> = {}, env: Record<string, string> = {}) {
  const { as } = await testApp({ agent: agent(options), env });
  llm.requests.length = 0;
  llm.headers.length = 0;
  return as(newUser());
}

function readStream(test: supertest.Test): Promise<{ event: string; data: unknown }[]> {
  return test
    .set('Accept', 'text/event-stream')
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    })
    .then((res) =>
      String(res.body)
        .split('\n\n')
        .filter((block) => block.startsWith('event:'))
        .map((block) => {
          const [, event] = /^event: (.*)$/m.exec(block)!;
          const [, data] = /^data: (.*)$/m.exec(block)!;
          return { event: event!, data: JSON.parse(data!) };
        }),
    );
}

/** The user's only conversation, as the API shows it (for turns that failed before answering). */
async function onlyConversation(user: UserClient) {
  const list = await user.get('/conversations').expect(200);
  assert.equal(list.body.conversations.length, 1);
  return (await user.get(`/conversations/${list.body.conversations[0].id}`).expect(200)).body;
}

describe('the model agent (OpenAI-compatible, against a fake LLM server)', () => {
  it("streams the model's tokens to the browser as they arrive and saves the whole answer", async () => {
    const alice = await modelUser();
    llm.script({ text: ['Hel', 'lo ', 'the', 're!'] });
    const events = await readStream(alice.chat('hi'));
    const deltas = events.filter((e) => e.event === 'delta').map((e) => (e.data as { text: string }).text);
    assert.deepEqual(deltas, ['Hel', 'lo ', 'the', 're!']);
    const done = events.find((e) => e.event === 'done')!.data as { message: string; conversation_id: string };
    assert.equal(done.message, 'Hello there!');
    const detail = await alice.get(`/conversations/${done.conversation_id}`).expect(200);
    assert.deepEqual(detail.body.messages.map((m: { content: string }) => m.content), ['hi', 'Hello there!']);
  });

  it('adds a task for the caller when the model calls add_task, and reports the call in tool_calls', async () => {
    const alice = await modelUser();
    llm.script({ toolCalls: [{ name: 'add_task', arguments: { title: 'Buy milk', description: '2 litres' } }] }, { text: 'Added "Buy milk".' });
    const res = await alice.chat('remember to buy milk').expect(200);
    assert.equal(res.body.message, 'Added "Buy milk".');
    assert.equal(res.body.tool_calls.length, 1);
    const [call] = res.body.tool_calls;
    assert.equal(call.name, 'add_task');
    assert.deepEqual(call.arguments, { title: 'Buy milk', description: '2 litres' });
    assert.equal(call.result.title, 'Buy milk');

    const tasks = (await alice.get('/tasks').expect(200)).body.tasks as Task[];
    assert.deepEqual(tasks.map((t) => [t.title, t.description, t.completed]), [['Buy milk', '2 litres', false]]);

    // The second model call carries the assistant's tool call and the tool's result, as data.
    const second = llm.requests[1]!;
    const assistantTurn = second.messages.find((m) => m.role === 'assistant' && m.tool_calls);
    assert.ok(assistantTurn, 'the tool call is replayed to the model');
    const toolMessage = second.messages.find((m) => m.role === 'tool')!;
    assert.equal(toolMessage.tool_call_id, (assistantTurn.tool_calls![0] as { id: string }).id);
    assert.equal((toolResults(second)[0] as Task).id, tasks[0]!.id);
  });

  it('uses tools over several rounds, acting on what earlier results returned', async () => {
    const alice = await modelUser();
    llm.script(
      { toolCalls: [{ name: 'add_task', arguments: { title: 'Water plants' } }] },
      (request) => ({ toolCalls: [{ name: 'complete_task', arguments: { task_id: (toolResults(request)[0] as Task).id } }] }),
      { toolCalls: [{ name: 'list_tasks', arguments: { status: 'completed' } }] },
      { text: 'Added and finished "Water plants".' },
    );
    const res = await alice.chat('add water plants and mark it done').expect(200);
    assert.deepEqual(res.body.tool_calls.map((c: { name: string }) => c.name), ['add_task', 'complete_task', 'list_tasks']);
    assert.equal(res.body.tool_calls[2].result.length, 1);
    const tasks = (await alice.get('/tasks').expect(200)).body.tasks as Task[];
    assert.deepEqual(tasks.map((t) => [t.title, t.completed]), [['Water plants', true]]);
    assert.equal(llm.requests.length, 4);
  });

  it('after five rounds of tools, makes the model answer in words (tool_choice none)', async () => {
    const alice = await modelUser();
    llm.fallback = (request) =>
      request.tool_choice === 'none' ? { text: 'You have no tasks.' } : { toolCalls: [{ name: 'list_tasks', arguments: {} }] };
    try {
      const res = await alice.chat('loop forever').expect(200);
      assert.equal(res.body.message, 'You have no tasks.');
      assert.equal(res.body.tool_calls.length, 5);
      assert.equal(llm.requests.length, 6);
      assert.deepEqual(llm.requests.map((r) => r.tool_choice), ['auto', 'auto', 'auto', 'auto', 'auto', 'none']);
    } finally {
      llm.fallback = { text: 'Okay.' };
    }
  });

  it('ignores tool calls a model makes after its last round and still answers', async () => {
    const alice = await modelUser({ maxToolRounds: 2 });
    llm.fallback = { toolCalls: [{ name: 'add_task', arguments: { title: 'again' } }] };
    try {
      const res = await alice.chat('add again and again').expect(200);
      assert.equal(res.body.tool_calls.length, 2);
      assert.match(res.body.message, /could not finish/);
      assert.equal((await alice.get('/tasks').expect(200)).body.tasks.length, 2);
    } finally {
      llm.fallback = { text: 'Okay.' };
    }
  });

  it('tells the model, as a tool result, when its arguments are unusable or the tool does not exist', async () => {
    const alice = await modelUser();
    llm.script(
      {
        toolCalls: [
          { name: 'add_task', arguments: { title: '   ' } },
          { name: 'add_task', arguments: { title: 'x'.repeat(201) } },
          { name: 'add_task', arguments: '{"title": "unterminated' },
          { name: 'drop_database', arguments: {} },
        ],
      },
      { text: 'Sorry, that did not work.' },
    );
    const res = await alice.chat('add nothing').expect(200);
    const errors = toolResults(llm.requests[1]!).map((r) => (r as { error: string }).error);
    assert.equal(errors.length, 4);
    assert.match(errors[0]!, /can't be empty/);
    assert.match(errors[1]!, /at most 200 characters; this one has 201/);
    assert.match(errors[2]!, /JSON object/);
    assert.match(errors[3]!, /no tool called "drop_database"/);
    assert.deepEqual(res.body.tool_calls.map((c: { result: unknown }) => c.result), errors.map((error) => ({ error })));
    assert.equal((await alice.get('/tasks').expect(200)).body.tasks.length, 0);
  });

  it('sends the five tool schemas with no user id anywhere, the fixed system prompt and the history', async () => {
    const alice = await modelUser();
    llm.script({ text: 'First answer.' }, { status: 500 }, { text: 'Third answer.' });
    const first = await alice.chat('first question').expect(200);
    const conversation_id = first.body.conversation_id;
    await alice.chat('this one fails', { conversation_id }).expect(502);
    await alice.chat('third question', { conversation_id }).expect(200);

    const request = llm.requests.at(-1)!;
    assert.equal(request.model, 'fake-model');
    assert.equal(request.stream, true);
    assert.deepEqual(request.tools!.map((t) => t.function.name).sort(), ['add_task', 'complete_task', 'delete_task', 'list_tasks', 'update_task']);
    for (const tool of request.tools!) {
      assert.equal(tool.type, 'function');
      assert.equal(tool.function.parameters.type, 'object');
    }
    const parameterNames = request.tools!.flatMap((t) => Object.keys(t.function.parameters.properties as object));
    assert.deepEqual([...new Set(parameterNames)].sort(), ['description', 'status', 'task_id', 'title']);
    assert.doesNotMatch(JSON.stringify(request.tools), /user_?id/i);
    // The failed question is left out: it never got an answer and the roles stay alternating.
    assert.deepEqual(
      request.messages.map((m) => [m.role, m.role === 'system' ? '(system)' : m.content]),
      [
        ['system', '(system)'],
        ['user', 'first question'],
        ['assistant', 'First answer.'],
        ['user', 'third question'],
      ],
    );
    const system = request.messages[0]!.content!;
    assert.doesNotMatch(system, /first question|third question|\d{4}-\d{2}-\d{2}/);
    assert.equal(llm.requests[0]!.messages[0]!.content, system, 'the same system prompt every time');
    // The model server gets the operator's key, never the user's token.
    assert.equal(llm.headers.at(-1)!.authorization, 'Bearer sk-fake');
    assert.ok(!JSON.stringify(llm.requests).includes(alice.token));
  });

  it('answers 502 {error, detail} when the model server fails, and keeps the user message', async () => {
    const alice = await modelUser();
    llm.script({ status: 500, message: 'model crashed' });
    const res = await alice.chat('please answer').expect(502);
    assert.equal(res.body.error, 'Bad Gateway');
    assert.equal(res.body.code, 'assistant_failed');
    assert.match(res.body.detail, /Your message is saved/);
    assert.doesNotMatch(JSON.stringify(res.body), /model crashed/);
    const detail = await onlyConversation(alice);
    assert.deepEqual(detail.messages.map((m: { content: string }) => m.content), ['please answer']);
  });

  it('answers 502 when the model server streams garbage', async () => {
    const alice = await modelUser();
    llm.script({ garbage: '{"choices": [ not json' });
    const res = await alice.chat('hello?').expect(502);
    assert.equal(res.body.code, 'assistant_failed');
    assert.equal((await onlyConversation(alice)).messages.length, 1);
  });

  it('answers 504 when the model takes longer than the turn may, and keeps the user message', async () => {
    const alice = await modelUser({}, { AGENT_TIMEOUT_MS: '1500' });
    llm.script({ hang: true });
    const res = await alice.chat('are you there?').expect(504);
    assert.equal(res.body.error, 'Gateway Timeout');
    assert.equal(res.body.code, 'assistant_timeout');
    assert.equal((await onlyConversation(alice)).messages[0].content, 'are you there?');
  });

  it("answers 504 when one model call exceeds the SDK's own timeout", async () => {
    const alice = await modelUser({ timeoutMs: 500 });
    llm.script({ hang: true });
    const res = await alice.chat('still there?').expect(504);
    assert.equal(res.body.code, 'assistant_timeout');
  });

  it('sends a failed stream an error event after the user message was saved', async () => {
    const alice = await modelUser();
    llm.script({ status: 503 });
    const events = await readStream(alice.chat('stream please'));
    assert.deepEqual(events.map((e) => e.event), ['start', 'error']);
    assert.equal((events[1]!.data as { code: string }).code, 'assistant_failed');
  });
});

describe('choosing the agent from the configuration', () => {
  it('uses the model agent when OPENAI_API_KEY is set, with gpt-4o-mini as the default model', async () => {
    const config = testConfig({ OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: llm.url });
    assert.deepEqual(config.openai, { apiKey: 'sk-fake', baseURL: llm.url, model: 'gpt-4o-mini' });
    const chosen = selectAgent(config);
    assert.equal(chosen.name, 'openai');

    const { as } = await testApp({ env: { OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: llm.url, OPENAI_MODEL: 'llama3.2' } });
    const alice = await as(newUser());
    llm.requests.length = 0;
    llm.script({ text: 'From the configured model.' });
    const res = await alice.chat('hi').expect(200);
    assert.equal(res.body.message, 'From the configured model.');
    assert.equal(llm.requests[0]!.model, 'llama3.2');
  });

  it('uses the built-in agent without OPENAI_API_KEY', () => {
    assert.equal(selectAgent(testConfig()).name, 'builtin');
  });

  it('refuses half a model configuration with a sentence saying what to set', () => {
    assert.throws(() => loadConfig({ OPENAI_BASE_URL: 'http://localhost:11434/v1' }), (error: Error) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /OPENAI_BASE_URL is set but OPENAI_API_KEY is not/);
      return true;
    });
    assert.throws(() => loadConfig({ OPENAI_API_KEY: 'x', OPENAI_BASE_URL: 'localhost:11434' }), /OPENAI_BASE_URL must be a full http\(s\) URL/);
    assert.throws(() => loadConfig({ TASKS_API_URL: 'ftp://app' }), /TASKS_API_URL must be a full http\(s\) URL/);
  });
});
