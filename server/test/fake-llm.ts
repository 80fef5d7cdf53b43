import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real OpenAI-compatible chat-completions server on a random local port, scripted per test: the
 * only fake the suite allows. It speaks the streaming protocol the way hosted and local servers do
 * (SSE chunks, `delta.content`, `delta.tool_calls` split across chunks, `data: [DONE]`) and records
 * every request it receives so tests can check what the model was told.
 */

export interface ScriptedToolCall {
  name: string;
  /** An object (sent as JSON) or raw text (to send broken JSON). */
  arguments: unknown;
  id?: string;
}

export type FakeReply =
  /** A streamed answer: text in the given pieces (or one per word), then tool calls, if any. */
  | { text?: string | string[]; toolCalls?: ScriptedToolCall[] }
  /** An HTTP error with an OpenAI-style error body. */
  | { status: number; message?: string }
  /** Accepts the request and never answers (until the fake closes). */
  | { hang: true }
  /** A 200 event stream whose data is not JSON. */
  | { garbage: string };

/** A reply, or a function of the request that makes one (to act on ids the server created). */
export type ScriptStep = FakeReply | ((request: ChatRequestBody) => FakeReply);

export interface ChatRequestBody {
  model: string;
  stream?: boolean;
  messages: { role: string; content?: string | null; tool_calls?: unknown[]; tool_call_id?: string }[];
  tools?: { type: string; function: { name: string; description?: string; parameters: Record<string, unknown> } }[];
  tool_choice?: unknown;
  [key: string]: unknown;
}

export interface FakeLlm {
  /** The base URL to give the SDK (`…/v1`). */
  url: string;
  /** Every request body received, in order. */
  requests: ChatRequestBody[];
  headers: IncomingHttpHeaders[];
  /** Queues replies, used one per request; when the queue is empty, `fallback` answers. */
  script(...steps: ScriptStep[]): void;
  fallback: ScriptStep;
  close(): Promise<void>;
}

export async function startFakeLlm(): Promise<FakeLlm> {
  const queue: ScriptStep[] = [];
  const fake: Omit<FakeLlm, 'url' | 'close'> = {
    requests: [],
    headers: [],
    script: (...steps) => void queue.push(...steps),
    fallback: { text: 'Okay.' },
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (raw += chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') {
        res.writeHead(404, { 'Content-Type': 'application/json' }).end(JSON.stringify({ error: { message: 'Not found' } }));
        return;
      }
      const body = JSON.parse(raw) as ChatRequestBody;
      fake.requests.push(body);
      fake.headers.push(req.headers);
      const step = queue.shift() ?? fake.fallback;
      const reply = typeof step === 'function' ? step(body) : step;

      if ('hang' in reply) return;
      if ('status' in reply) {
        res
          .writeHead(reply.status, { 'Content-Type': 'application/json' })
          .end(JSON.stringify({ error: { message: reply.message ?? 'The fake model failed.', type: 'server_error' } }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
      if ('garbage' in reply) {
        res.end(`data: ${reply.garbage}\n\n`);
        return;
      }
      const send = (delta: Record<string, unknown>, finish: string | null = null) =>
        res.write(
          `data: ${JSON.stringify({
            id: 'chatcmpl-fake',
            object: 'chat.completion.chunk',
            created: 0,
            model: body.model,
            choices: [{ index: 0, delta, finish_reason: finish }],
          })}\n\n`,
        );
      send({ role: 'assistant', content: '' });
      const pieces = typeof reply.text === 'string' ? (reply.text.match(/\S+\s*|\s+/g) ?? []) : (reply.text ?? []);
      for (const piece of pieces) send({ content: piece });
      (reply.toolCalls ?? []).forEach((call, index) => {
        const args = typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments);
        send({
          tool_calls: [{ index, id: call.id ?? `call_${fake.requests.length}_${index}`, type: 'function', function: { name: call.name, arguments: '' } }],
        });
        // The arguments arrive in three pieces, as real servers split them.
        const third = Math.ceil(args.length / 3);
        for (let at = 0; at < args.length; at += third) {
          send({ tool_calls: [{ index, function: { arguments: args.slice(at, at + third) } }] });
        }
      });
      send({}, reply.toolCalls?.length ? 'tool_calls' : 'stop');
      res.end('data: [DONE]\n\n');
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake as FakeLlm, {
    url: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** The `content` of the tool messages in a request, parsed, in order. */
export function toolResults(request: ChatRequestBody): unknown[] {
  return request.messages.filter((m) => m.role === 'tool').map((m) => JSON.parse(m.content ?? 'null'));
}
