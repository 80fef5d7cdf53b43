/** One chat turn over the wire: `POST /chat` as a stream of events or as plain JSON. */
import type { ChatRequest, ChatResponse, ErrorBody, StreamEventMap } from '../../../server/src/contract.js';
import { readSse } from './sse.js';
import { ChatRequestError, chatError, type Transport } from './transport.js';

export interface TurnListener {
  start?(info: StreamEventMap['start']): void;
  delta?(text: string): void;
}

/** How often a `409 turn_in_progress` (the same message is still being answered) is waited out. */
const MAX_IN_PROGRESS_WAITS = 5;

/**
 * Posts one message and resolves with the answer. A 409 means an earlier attempt with the same
 * `client_message_id` is still running on the server: wait as told and ask again, which returns that
 * attempt's answer instead of storing the message twice.
 */
export async function postTurn(
  transport: Transport,
  request: ChatRequest,
  options: { streaming: boolean; signal: AbortSignal },
  listener: TurnListener,
): Promise<ChatResponse> {
  for (let waits = 0; ; waits++) {
    try {
      return await transport.request(
        '/chat',
        { method: 'POST', body: request, accept: options.streaming ? 'text/event-stream' : 'application/json', signal: options.signal },
        (response, keepAlive) =>
          response.headers.get('Content-Type')?.includes('text/event-stream') && response.body
            ? readStream(response.body, keepAlive, listener)
            : (response.json() as Promise<ChatResponse>), // a server (or proxy) that does not stream
      );
    } catch (error) {
      const info = error instanceof ChatRequestError ? error.info : undefined;
      if (info?.status !== 409 || waits >= MAX_IN_PROGRESS_WAITS) throw error;
      await sleep((info.retryAfter ?? 2) * 1000, options.signal);
    }
  }
}

async function readStream(body: ReadableStream<Uint8Array>, keepAlive: () => void, listener: TurnListener): Promise<ChatResponse> {
  for await (const { event, data } of readSse(body, keepAlive)) {
    switch (event) {
      case 'start':
        listener.start?.(JSON.parse(data) as StreamEventMap['start']);
        break;
      case 'delta':
        listener.delta?.((JSON.parse(data) as StreamEventMap['delta']).text);
        break;
      case 'done':
        return JSON.parse(data) as ChatResponse;
      case 'error': {
        // The turn failed after the stream opened (the status line already said 200).
        const body = JSON.parse(data) as ErrorBody;
        throw new ChatRequestError(
          chatError(body.code === 'assistant_timeout' ? 'timeout' : 'server', { detail: body.detail, code: body.code }),
        );
      }
      // `tool_call` events are repeated in `done.tool_calls`, which is what the client reports.
    }
  }
  // The connection closed before `done`: the answer may exist on the server, and a retry fetches it.
  throw new ChatRequestError(chatError('network'));
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      if (signal.aborted) reject(signal.reason as Error);
      else resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done);
  });
}
