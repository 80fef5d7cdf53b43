import { MESSAGE_MAX_LENGTH } from '../contract.js';
import {
  assistantFailed,
  assistantTimeout,
  badRequest,
  conversationNotFound,
  databaseUnavailable,
  forbidden,
  HttpError,
  internalError,
  payloadTooLarge,
  routeNotFound,
  shuttingDown,
  tooManyRequests,
  turnInProgress,
  clientMessageIdReused,
  unauthorized,
  unsupportedMediaType,
} from './errors.js';

/*
 * The components of the OpenAPI document (openapi.ts): the wire types of server/src/contract.ts as
 * JSON Schema 2020-12, and the error responses. Error examples are made by the same factories the
 * routes throw, so the sentences shown are the ones clients get.
 */

export type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
export const uuid: Schema = { type: 'string', format: 'uuid' };
const timestamp: Schema = { type: 'string', format: 'date-time' };
/** Response objects list every field the server sends, so a new field is a visible change here. */
const closed = (required: string[], properties: Record<string, Schema>, description?: string): Schema => ({
  type: 'object',
  ...(description && { description }),
  required,
  properties,
  additionalProperties: false,
});

export const schemas: Record<string, Schema> = {
  ChatRequest: {
    type: 'object',
    required: ['message'],
    properties: {
      conversation_id: {
        type: ['string', 'null'],
        format: 'uuid',
        description: 'The conversation to continue. Omit or send null to start a new one.',
      },
      message: {
        type: 'string',
        minLength: 1,
        maxLength: MESSAGE_MAX_LENGTH,
        description:
          `1–${MESSAGE_MAX_LENGTH} characters (Unicode code points: an emoji counts as one), not blank. ` +
          'Stored exactly as sent; NUL and unpaired surrogates are refused.',
      },
      client_message_id: {
        ...uuid,
        description: 'Chosen by the client. A retry with the same id returns the original answer and stores nothing twice.',
      },
    },
    description: 'Unknown fields are ignored, so newer clients work with older servers.',
  },
  ToolCall: closed(['name', 'arguments', 'result'], {
    name: { type: 'string', examples: ['add_task'] },
    arguments: { type: 'object' },
    result: { description: "What the tool returned (the task it changed, a list, or an error it reported)." },
  }, 'One thing the assistant did to the user\'s tasks during a turn.'),
  ChatResponse: closed(
    ['conversation_id', 'message', 'role', 'created_at', 'message_id', 'user_message_id', 'tool_calls'],
    {
      conversation_id: uuid,
      message: { type: 'string', description: "The assistant's answer." },
      role: { const: 'assistant' },
      created_at: timestamp,
      message_id: { ...uuid, description: "The assistant message's id." },
      user_message_id: { ...uuid, description: "The id the user's message was stored under." },
      tool_calls: { type: 'array', items: ref('ToolCall') },
    },
  ),
  ConversationSummary: closed(['id', 'title', 'last_message_preview', 'message_count', 'created_at', 'updated_at'], {
    id: uuid,
    title: { type: ['string', 'null'], description: 'The first message, shortened, until renamed.' },
    last_message_preview: { type: ['string', 'null'], description: 'The newest message on one line, at most 120 characters.' },
    message_count: { type: 'integer', minimum: 0 },
    created_at: timestamp,
    updated_at: timestamp,
  }),
  ConversationList: closed(['conversations', 'total', 'limit', 'offset'], {
    conversations: { type: 'array', items: ref('ConversationSummary'), description: 'Newest updated_at first.' },
    total: { type: 'integer', minimum: 0, description: "How many conversations the user has in all." },
    limit: { type: 'integer', minimum: 1, maximum: 100 },
    offset: { type: 'integer', minimum: 0 },
  }),
  Message: closed(['id', 'role', 'content', 'created_at'], {
    id: uuid,
    role: { enum: ['user', 'assistant'] },
    content: { type: 'string', minLength: 1 },
    created_at: timestamp,
    tool_calls: { type: 'array', items: ref('ToolCall'), description: 'On assistant messages that changed tasks.' },
  }),
  ConversationDetail: closed(['id', 'title', 'created_at', 'updated_at', 'messages', 'has_more'], {
    id: uuid,
    title: { type: ['string', 'null'] },
    created_at: timestamp,
    updated_at: timestamp,
    messages: { type: 'array', items: ref('Message'), description: 'Oldest first, in the order they were stored.' },
    has_more: { type: 'boolean', description: 'True when older messages exist before the first one returned.' },
  }),
  ConversationRename: {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string', minLength: 1, maxLength: 200, description: 'Not blank; surrounding spaces are trimmed.' } },
  },
  Task: closed(['id', 'title', 'description', 'completed', 'created_at', 'updated_at'], {
    id: uuid,
    title: { type: 'string', minLength: 1 },
    description: { type: ['string', 'null'] },
    completed: { type: 'boolean' },
    created_at: timestamp,
    updated_at: timestamp,
  }),
  TaskList: closed(['tasks'], { tasks: { type: 'array', items: ref('Task'), description: 'In the order they were made.' } }),
  Error: closed(['error', 'detail'], {
    error: { type: 'string', description: 'The HTTP status in words.', examples: ['Bad Request'] },
    detail: { type: 'string', description: 'A sentence a person can act on; safe to show as is.' },
    code: { type: 'string', description: 'Stable and machine-readable, e.g. empty_text, conversation_not_found.' },
  }),
  StreamStart: closed(['conversation_id', 'user_message_id'], { conversation_id: uuid, user_message_id: uuid }),
  StreamDelta: closed(['text'], { text: { type: 'string', description: 'The next piece of the answer.' } }),
  Health: closed(['status'], { status: { const: 'ok' } }),
  Ready: closed(['status', 'database'], { status: { const: 'ready' }, database: { enum: ['postgres', 'pglite'] } }),
  DemoTokenRequest: {
    type: 'object',
    properties: { user_id: { type: 'string', pattern: '^[\\w.@-]{1,64}$', description: 'Omit for a fresh random demo user.' } },
  },
  DemoToken: closed(['token', 'user_id'], { token: { type: 'string' }, user_id: { type: 'string' } }),
  JsonRpcMessage: {
    type: 'object',
    required: ['jsonrpc'],
    properties: { jsonrpc: { const: '2.0' } },
    description: 'A JSON-RPC 2.0 message of the Model Context Protocol.',
  },
};

const examplesOf = (...errors: HttpError[]) =>
  Object.fromEntries(errors.map((error) => [error.code, { summary: error.detail, value: error.toBody() }]));

const retryAfter = { 'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } } };

export const errorResponse = (description: string, errors: HttpError[], headers?: Record<string, unknown>) => ({
  description,
  ...(headers && { headers }),
  content: { 'application/json': { schema: ref('Error'), examples: examplesOf(...errors) } },
});

export const responses = {
  BadRequest: errorResponse('The request is malformed or a field is invalid. Nothing was stored.', [
    badRequest("message can't be empty.", 'empty_text'),
    badRequest(`message is 4001 characters long; the limit is ${MESSAGE_MAX_LENGTH}.`, 'text_too_long'),
    badRequest('the request body is not valid JSON.', 'invalid_json'),
    badRequest('conversation_id must be a UUID such as 3f2b8a4e-8c1d-4e8a-9b1a-2c3d4e5f6a7b.', 'invalid_id'),
    badRequest('limit must be a whole number from 1 to 100.', 'invalid_query'),
    badRequest('before must be the id of a message in this conversation.', 'invalid_cursor'),
  ]),
  Unauthorized: errorResponse(
    'The bearer token is missing, malformed, badly signed or expired.',
    [
      unauthorized('Please sign in to use the chat.', 'missing_token'),
      unauthorized('Your sign-in could not be read. Please sign in again.', 'malformed_token'),
      unauthorized('Your session has expired. Please sign in again.', 'token_expired'),
      unauthorized("We couldn't verify your sign-in. Please sign in again.", 'invalid_token'),
    ],
    { 'WWW-Authenticate': { schema: { type: 'string' }, example: 'Bearer' } },
  ),
  Forbidden: errorResponse("The path's user_id is not the token's user.", [forbidden()]),
  ConversationNotFound: errorResponse('No such conversation for this user (someone else\'s looks the same).', [conversationNotFound()]),
  NotFound: errorResponse('No such route.', [routeNotFound('GET', '/api/u1/nothing')]),
  TurnInProgress: errorResponse(
    'A retry of a turn that is still being answered (wait Retry-After seconds and retry with the same client_message_id), ' +
      'or a client_message_id reused for different text.',
    [turnInProgress(), clientMessageIdReused()],
    retryAfter,
  ),
  PayloadTooLarge: errorResponse('The body is over the limit (BODY_LIMIT_BYTES, 64 KB by default).', [payloadTooLarge('64 KB')]),
  UnsupportedMediaType: errorResponse('The body is not UTF-8 JSON.', [unsupportedMediaType()]),
  TooManyRequests: errorResponse('Too many chat turns this minute.', [tooManyRequests(20)], retryAfter),
  BadGateway: errorResponse('The assistant failed. The message is saved; retry with the same client_message_id.', [assistantFailed()]),
  GatewayTimeout: errorResponse('The assistant took too long. The message is saved; retry.', [assistantTimeout()]),
  ServiceUnavailable: errorResponse('The database is unreachable or the server is restarting.', [databaseUnavailable(), shuttingDown()], retryAfter),
  InternalError: errorResponse('An unexpected failure; never carries internals.', [internalError()]),
};

export const use = (name: keyof typeof responses) => ({ $ref: `#/components/responses/${name}` });
export const json = (schema: Schema, description: string) => ({ description, content: { 'application/json': { schema } } });
