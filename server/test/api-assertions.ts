import assert from 'node:assert/strict';
import type supertest from 'supertest';

/**
 * The error body every 4xx must have: `{error, detail, code}` where `detail` reads as a sentence a
 * person can act on (capitalised, ends with a full stop) and nothing internal leaks through.
 */
export function assertFriendlyError(body: unknown): void {
  const error = body as { error?: unknown; detail?: unknown; code?: unknown };
  assert.deepEqual(Object.keys(error).sort(), ['code', 'detail', 'error']);
  assert.equal(typeof error.error, 'string');
  assert.equal(typeof error.code, 'string');
  assert.equal(typeof error.detail, 'string');
  const detail = error.detail as string;
  assert.match(detail, /^[A-Z][^\n]{10,240}[.!?]$/, `detail "${detail}" is not a plain sentence`);
  assert.doesNotMatch(detail, /undefined|\[object|NaN|SyntaxError|Unexpected token|JSON\.parse|\bat \S+ \(|node_modules/);
}

export interface SseEvent {
  event: string;
  data: unknown;
}

/** Buffers a `text/event-stream` response as text, for `parseEvents`. */
export function bufferText(res: supertest.Response, callback: (error: Error | null, body: string) => void): void {
  let text = '';
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => (text += chunk));
  res.on('end', () => callback(null, text));
}

/** Splits an event stream into events; comment lines (heartbeats) are skipped. */
export function parseEvents(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() && !block.startsWith(':'))
    .map((block) => {
      const lines = block.split('\n').filter((line) => !line.startsWith(':'));
      const event = lines.find((line) => line.startsWith('event: '))?.slice(7) ?? 'message';
      const data = lines.filter((line) => line.startsWith('data: ')).map((line) => line.slice(6)).join('\n');
      return { event, data: JSON.parse(data) as unknown };
    });
}
