import { isUtf8 } from 'node:buffer';
import express, { type Request, type RequestHandler } from 'express';
import { MESSAGE_MAX_LENGTH } from '../contract.js';
import type { TurnInput } from '../chat/service.js';
import { badRequest, unsupportedMediaType } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/**
 * The JSON body parser of the API. Bytes that are not UTF-8 are refused rather than silently turned
 * into U+FFFD, because messages are stored and returned exactly as sent.
 */
export function jsonParser(limitBytes: number): RequestHandler {
  return express.json({
    limit: limitBytes,
    verify: (_req, _res, body) => {
      if (!isUtf8(body)) throw badRequest('the request body is not valid UTF-8 text.', 'invalid_encoding');
    },
  });
}

/** The JSON body, or a 415/400 that says what was wrong with it. */
export function jsonBody(req: Request): Record<string, unknown> {
  if (!req.is('application/json')) throw unsupportedMediaType();
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('the request body must be a JSON object.', 'invalid_body');
  }
  return body as Record<string, unknown>;
}

/**
 * Text a person typed: stored and returned exactly as sent, so it must be text PostgreSQL can
 * store byte-for-byte (no NUL, no broken surrogate pairs).
 */
function text(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw badRequest(`${field} must be text.`, 'invalid_type');
  if (value.trim() === '') throw badRequest(`${field} can't be empty.`, 'empty_text');
  const length = [...value].length;
  if (length > max) {
    throw badRequest(`${field} is ${length} characters long; the limit is ${max}.`, 'text_too_long');
  }
  if (value.includes('\u0000') || !value.isWellFormed()) {
    throw badRequest(`${field} contains characters that can't be stored (a NUL or a broken emoji).`, 'invalid_characters');
  }
  return value;
}

function optionalUuid(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isUuid(value)) throw badRequest(`${field} must be a UUID such as 3f2b8a4e-8c1d-4e8a-9b1a-2c3d4e5f6a7b.`, 'invalid_id');
  return value.toLowerCase();
}

export function parseChatRequest(req: Request): TurnInput {
  const body = jsonBody(req);
  if (!('message' in body)) throw badRequest('message is required.', 'missing_field');
  return {
    message: text(body.message, 'message', MESSAGE_MAX_LENGTH),
    conversationId: optionalUuid(body.conversation_id, 'conversation_id') ?? null,
    clientMessageId: optionalUuid(body.client_message_id, 'client_message_id'),
  };
}

export function parseTitle(req: Request): string {
  const body = jsonBody(req);
  if (!('title' in body)) throw badRequest('title is required.', 'missing_field');
  // Titles are stored trimmed, so the limit applies to what is kept.
  return text(typeof body.title === 'string' ? body.title.trim() : body.title, 'title', 200);
}

export function pathUuid(req: Request, name: string): string {
  const value = req.params[name];
  if (!isUuid(value)) throw badRequest(`${name} must be a UUID.`, 'invalid_id');
  return value.toLowerCase();
}

/** A whole-number query parameter within bounds; `undefined` when absent. */
export function queryInt(req: Request, name: string, min: number, max: number): number | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !/^\d{1,9}$/.test(raw)) {
    throw badRequest(`${name} must be a whole number from ${min} to ${max}.`, 'invalid_query');
  }
  const value = Number(raw);
  if (value < min || value > max) throw badRequest(`${name} must be a whole number from ${min} to ${max}.`, 'invalid_query');
  return value;
}

export function queryUuid(req: Request, name: string): string | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  if (raw === undefined) return undefined;
  return optionalUuid(raw, name);
}

export function queryEnum<T extends string>(req: Request, name: string, values: readonly T[]): T | undefined {
  const raw = (req.query as Record<string, unknown>)[name];
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !values.includes(raw as T)) {
    throw badRequest(`${name} must be one of ${values.join(', ')}.`, 'invalid_query');
  }
  return raw as T;
}
