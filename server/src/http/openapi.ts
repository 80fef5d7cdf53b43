import { readFileSync } from 'node:fs';
import { packagePath } from '../paths.js';
import { HttpError } from './errors.js';
import { errorResponse, json, ref, responses, schemas, use, uuid, type Schema } from './openapi-components.js';

/*
 * The contract (server/src/contract.ts, docs/api.md) as an OpenAPI 3.1 document, served at
 * `GET /api/openapi.json`. server/test/openapi.test.ts validates real responses against it, which is
 * what keeps the document and the server in step.
 */

/** The answers every `/api/{user_id}/...` operation can give besides its own. */
const apiErrors = {
  400: use('BadRequest'),
  401: use('Unauthorized'),
  403: use('Forbidden'),
  500: use('InternalError'),
  503: use('ServiceUnavailable'),
};

const param = (name: string, location: 'path' | 'query', schema: Schema, description: string) => ({
  name,
  in: location,
  required: location === 'path',
  schema,
  description,
});
const userIdParam = param('user_id', 'path', { type: 'string' }, "The signed-in user's id: must equal the token's user claim.");
const conversationIdParam = param('conversation_id', 'path', uuid, 'The conversation.');

const STREAM_EXAMPLE = [
  'event: start\ndata: {"conversation_id":"3f2b8a4e-8c1d-4e8a-9b1a-2c3d4e5f6a7b","user_message_id":"9d6c7b1a-0c2e-4f4e-8a55-1b2c3d4e5f60"}\n',
  'event: delta\ndata: {"text":"Added "}\n',
  'event: tool_call\ndata: {"name":"add_task","arguments":{"title":"buy milk"},"result":{"id":"…","title":"buy milk","completed":false}}\n',
  'event: done\ndata: {"conversation_id":"3f2b8a4e-…","message":"Added \\"buy milk\\".","role":"assistant",…}\n',
].join('\n');

const chatOperation = {
  operationId: 'chat',
  tags: ['chat'],
  summary: 'Send a message and get the assistant\'s answer',
  description:
    'Saves the message, runs the assistant (which may change tasks) and saves its answer. ' +
    'Without conversation_id a new conversation is created. With `Accept: text/event-stream` the same ' +
    'turn is streamed as Server-Sent Events; validation and storage are identical, and errors found before ' +
    'the stream opens are plain JSON responses.',
  parameters: [userIdParam],
  requestBody: {
    required: true,
    content: {
      'application/json': {
        schema: ref('ChatRequest'),
        examples: {
          new: { summary: 'Start a conversation', value: { message: 'Add a task to buy milk' } },
          continue: {
            summary: 'Continue one, safe to retry',
            value: {
              conversation_id: '3f2b8a4e-8c1d-4e8a-9b1a-2c3d4e5f6a7b',
              message: 'What is on my list?',
              client_message_id: '6b1f1f8e-2d1c-4f62-9f53-0e3f5c0a7d21',
            },
          },
        },
      },
    },
  },
  responses: {
    200: {
      description: 'The answer (JSON), or the stream of the turn (SSE).',
      content: {
        'application/json': { schema: ref('ChatResponse') },
        'text/event-stream': {
          schema: {
            type: 'string',
            description:
              'Events in order: `start` once, any number of `delta` and `tool_call`, then exactly one `done` ' +
              '(the ChatResponse) or `error` (an Error body). Each event is `event: <name>` and one `data:` line ' +
              'of JSON (schemas in x-sse-events); lines starting with `:` are heartbeats to ignore.',
          },
          'x-sse-events': {
            start: ref('StreamStart'),
            delta: ref('StreamDelta'),
            tool_call: ref('ToolCall'),
            done: ref('ChatResponse'),
            error: ref('Error'),
          },
          example: STREAM_EXAMPLE,
        },
      },
    },
    ...apiErrors,
    404: use('ConversationNotFound'),
    409: use('TurnInProgress'),
    413: use('PayloadTooLarge'),
    415: use('UnsupportedMediaType'),
    429: use('TooManyRequests'),
    502: use('BadGateway'),
    504: use('GatewayTimeout'),
  },
};

const demoPage = {
  operationId: 'demoPage',
  tags: ['demo'],
  summary: 'Demo mode only: a page with the widget, signed in as a throwaway user',
  security: [],
  responses: {
    200: { description: 'The demo page.', content: { 'text/html': { schema: { type: 'string' } } } },
    404: use('NotFound'),
  },
};

const paths = {
  '/api/{user_id}/chat': { post: chatOperation },
  '/api/{user_id}/conversations': {
    get: {
      operationId: 'listConversations',
      tags: ['conversations'],
      summary: "List the user's conversations, newest activity first",
      parameters: [
        userIdParam,
        param('limit', 'query', { type: 'integer', minimum: 1, maximum: 100, default: 20 }, 'Page size.'),
        param('offset', 'query', { type: 'integer', minimum: 0, default: 0 }, 'How many to skip.'),
      ],
      responses: { 200: json(ref('ConversationList'), 'A page of conversations.'), ...apiErrors },
    },
  },
  '/api/{user_id}/conversations/{conversation_id}': {
    get: {
      operationId: 'getConversation',
      tags: ['conversations'],
      summary: 'Open a conversation: its messages oldest first',
      description:
        'Without limit or before, every message. With them, the newest `limit` messages older than `before` ' +
        '(still oldest first) and `has_more`; pass the first message\'s id as the next `before` to page back.',
      parameters: [
        userIdParam,
        conversationIdParam,
        param('limit', 'query', { type: 'integer', minimum: 1, maximum: 500 }, 'Page size (50 when only before is given).'),
        param('before', 'query', uuid, 'A message id of this conversation: return messages older than it.'),
      ],
      responses: {
        200: json(ref('ConversationDetail'), 'The conversation and its messages.'),
        ...apiErrors,
        404: use('ConversationNotFound'),
      },
    },
    patch: {
      operationId: 'renameConversation',
      tags: ['conversations'],
      summary: 'Rename a conversation',
      parameters: [userIdParam, conversationIdParam],
      requestBody: { required: true, content: { 'application/json': { schema: ref('ConversationRename') } } },
      responses: {
        200: json(ref('ConversationSummary'), 'The renamed conversation.'),
        ...apiErrors,
        404: use('ConversationNotFound'),
        413: use('PayloadTooLarge'),
        415: use('UnsupportedMediaType'),
      },
    },
    delete: {
      operationId: 'deleteConversation',
      tags: ['conversations'],
      summary: 'Delete a conversation and all its messages',
      parameters: [userIdParam, conversationIdParam],
      responses: { 204: { description: 'Deleted.' }, ...apiErrors, 404: use('ConversationNotFound') },
    },
  },
  '/api/{user_id}/tasks': {
    get: {
      operationId: 'listTasks',
      tags: ['tasks'],
      summary: "The user's tasks, as the assistant left them",
      parameters: [userIdParam, param('status', 'query', { enum: ['all', 'pending', 'completed'], default: 'all' }, 'Which tasks.')],
      responses: { 200: json(ref('TaskList'), 'The tasks, in the order they were made.'), ...apiErrors },
    },
  },
  '/healthz': {
    get: {
      operationId: 'health',
      tags: ['operations'],
      summary: 'The process is up',
      security: [],
      responses: { 200: json(ref('Health'), 'Up.') },
    },
  },
  '/readyz': {
    get: {
      operationId: 'ready',
      tags: ['operations'],
      summary: 'The database answers',
      security: [],
      responses: { 200: json(ref('Ready'), 'Ready for traffic.'), 503: use('ServiceUnavailable') },
    },
  },
  '/api/openapi.json': {
    get: {
      operationId: 'openapi',
      tags: ['operations'],
      summary: 'This document',
      security: [],
      responses: { 200: json(
          { type: 'object', required: ['openapi', 'paths'], properties: { openapi: { const: '3.1.0' }, paths: { type: 'object' } } },
          'The OpenAPI 3.1 document.',
        ) },
    },
  },
  '/todo-chat.js': {
    get: {
      operationId: 'widgetBundle',
      tags: ['widget'],
      summary: 'The <todo-chat> element as one script for a <script src> tag',
      description: 'Cacheable (ETag; If-None-Match answers 304) and loadable from any origin.',
      security: [],
      responses: {
        200: { description: 'The bundle.', content: { 'text/javascript': { schema: { type: 'string' } } } },
        304: { description: 'Not modified since the ETag you sent.' },
        404: errorResponse('The package was not built (npm run build).', [
          new HttpError(404, 'Not Found', 'The widget bundle has not been built yet. Run npm run build.', 'bundle_missing'),
        ]),
      },
    },
  },
  '/': { get: demoPage },
  '/index.html': { get: { ...demoPage, operationId: 'demoPageIndex' } },
  '/demo/token': {
    post: {
      operationId: 'demoToken',
      tags: ['demo'],
      summary: 'Demo mode only: a token for any user name',
      description:
        'Mounted only when no authentication is configured and NODE_ENV is not production; otherwise 404.',
      security: [],
      requestBody: { required: false, content: { 'application/json': { schema: ref('DemoTokenRequest') } } },
      responses: { 200: json(ref('DemoToken'), 'A 12-hour token and its user id.'), 400: use('BadRequest'), 404: use('NotFound') },
    },
  },
  '/mcp': {
    post: {
      operationId: 'mcp',
      tags: ['mcp'],
      summary: 'The task tools over MCP Streamable HTTP (stateless)',
      description: 'For MCP clients acting for the signed-in user. Send `Accept: application/json, text/event-stream`.',
      requestBody: { required: true, content: { 'application/json': { schema: ref('JsonRpcMessage') } } },
      responses: {
        200: json(ref('JsonRpcMessage'), 'The JSON-RPC response.'),
        202: { description: 'A notification was accepted.' },
        401: use('Unauthorized'),
      },
    },
  },
};

let version: string | undefined;

function packageVersion(): string {
  version ??= (JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version: string }).version;
  return version;
}

/** The contract as an OpenAPI 3.1 document, served at `GET /api/openapi.json`. */
export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'todo-chat',
      version: packageVersion(),
      summary: 'The HTTP API of the todo-chat server: chat turns, conversation history and tasks.',
      description:
        'Every /api/{user_id}/... call needs `Authorization: Bearer <JWT>` from Better Auth, whose user id must ' +
        'equal {user_id}. Errors are `{error, detail, code}` where detail is a sentence to show as is. See docs/api.md.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    tags: ['chat', 'conversations', 'tasks', 'operations', 'widget', 'demo', 'mcp'].map((name) => ({ name })),
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      schemas,
      responses,
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'A Better Auth token: HS256 with BETTER_AUTH_SECRET, or the jwt plugin\'s keys (EdDSA by default) via AUTH_JWKS_URL.',
        },
      },
    },
  };
}
