import type { ErrorBody } from '../contract.js';

/**
 * The one error family of the server. Every 4xx/5xx leaves through `errorHandler` as
 * `{error, detail, code}` where `detail` is a sentence a person can act on.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly detail: string,
    readonly code: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
    this.name = 'HttpError';
  }

  toBody(): ErrorBody {
    return { error: this.error, detail: this.detail, code: this.code };
  }
}

export const badRequest = (detail: string, code = 'validation_error') =>
  new HttpError(400, 'Bad Request', `Validation error: ${detail}`, code);

export const unauthorized = (
  detail = 'Your session has expired. Please sign in again.',
  code = 'unauthorized',
) => new HttpError(401, 'Unauthorized', detail, code, { 'WWW-Authenticate': 'Bearer' });

export const forbidden = () =>
  new HttpError(403, 'Forbidden', "Access denied. You can only open your own conversations.", 'forbidden');

export const conversationNotFound = () =>
  new HttpError(
    404,
    'Not Found',
    "We couldn't find that conversation. It may have been deleted.",
    'conversation_not_found',
  );

export const routeNotFound = (method: string, path: string) =>
  new HttpError(404, 'Not Found', `There is no ${method} ${path} here. Check the address and try again.`, 'route_not_found');

export const turnInProgress = () =>
  new HttpError(
    409,
    'Conflict',
    'We are still answering this message. Please wait a moment and try again.',
    'turn_in_progress',
    { 'Retry-After': '2' },
  );

export const clientMessageIdReused = () =>
  new HttpError(
    409,
    'Conflict',
    'That client_message_id was already used for a different message. Send a new id for a new message.',
    'client_message_id_reused',
  );

export const payloadTooLarge = (limit: string) =>
  new HttpError(413, 'Payload Too Large', `That request is too large. Keep it under ${limit}.`, 'payload_too_large');

export const unsupportedMediaType = () =>
  new HttpError(
    415,
    'Unsupported Media Type',
    'Send the request body as JSON with the header Content-Type: application/json.',
    'unsupported_media_type',
  );

export const tooManyRequests = (retryAfterSeconds: number) =>
  new HttpError(
    429,
    'Too Many Requests',
    `You're sending messages faster than we can answer. Please wait ${retryAfterSeconds} seconds and try again.`,
    'rate_limited',
    { 'Retry-After': String(retryAfterSeconds) },
  );

export const internalError = () =>
  new HttpError(500, 'Internal Server Error', 'Something went wrong on our side. Please try again.', 'internal_error');

export const databaseUnavailable = () =>
  new HttpError(
    503,
    'Service Unavailable',
    "We can't reach our database right now. Please try again in a moment.",
    'database_unavailable',
    { 'Retry-After': '5' },
  );

export const shuttingDown = () =>
  new HttpError(
    503,
    'Service Unavailable',
    'The chat server is restarting. Please try again in a moment.',
    'shutting_down',
    { 'Retry-After': '2' },
  );

export const assistantFailed = (detail = 'The assistant could not answer just now. Your message is saved; please try again.') =>
  new HttpError(502, 'Bad Gateway', detail, 'assistant_failed');

export const assistantTimeout = () =>
  new HttpError(
    504,
    'Gateway Timeout',
    'Request timed out. The assistant took too long to answer. Your message is saved; please try again.',
    'assistant_timeout',
  );
