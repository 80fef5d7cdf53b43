import { Router } from 'express';
import type { ChatService } from '../../chat/service.js';
import type { HttpError } from '../errors.js';
import { EventStream } from '../sse.js';
import { parseChatRequest } from '../validation.js';
import { userOf } from './user.js';

/** `POST /api/{user_id}/chat`: one turn, as JSON or, with `Accept: text/event-stream`, as SSE. */
export function chatRoutes(chat: ChatService, toHttpError: (error: unknown) => HttpError): Router {
  const router = Router({ mergeParams: true });

  router.post('/chat', async (req, res) => {
    const input = parseChatRequest(req);
    const user = userOf(req);
    // JSON unless the client prefers a stream (`Accept: text/event-stream`).
    if (req.accepts(['application/json', 'text/event-stream']) !== 'text/event-stream') {
      res.json(await chat.runTurn(user, input));
      return;
    }
    let stream: EventStream | undefined;
    const open = () => (stream ??= new EventStream(res));
    try {
      const response = await chat.runTurn(user, input, {
        start: (info) => open().send('start', info),
        delta: (text) => open().send('delta', { text }),
        toolCall: (call) => open().send('tool_call', call),
      });
      open().send('done', response);
      stream!.end();
    } catch (error) {
      // Before the stream opens, fail like the JSON route does (a plain 4xx/5xx with {error, detail}).
      if (!stream) throw error;
      // The error handler never sees a failure once the stream is open, so it is logged here.
      const httpError = toHttpError(error);
      if (httpError.status >= 500) req.log.error({ err: error, code: httpError.code }, 'streamed turn failed');
      stream.send('error', httpError.toBody());
      stream.end();
    }
  });

  return router;
}
