/**
 * A small Server-Sent Events reader over `fetch` (EventSource cannot POST or send an Authorization
 * header). Follows the WHATWG parsing rules that matter for our server: `event:`/`data:`/`id:` fields,
 * multi-line `data`, `:` comments (heartbeats), and LF, CRLF or CR line endings, with events split
 * anywhere across network chunks.
 */

export interface SseEvent {
  /** `message` when the server sent no `event:` field. */
  event: string;
  data: string;
  id?: string;
}

/** Incremental parser: feed it text as it arrives, take the complete events out. */
export class SseParser {
  private buffer = '';
  private event = '';
  private data: string[] = [];
  private id: string | undefined;
  /** A chunk ended on `\r`: if the next one starts with `\n`, that `\n` belongs to the same line end. */
  private pendingCr = false;

  /** Parses `chunk` and returns the events it completed (possibly none). */
  push(chunk: string): SseEvent[] {
    if (this.pendingCr && chunk.startsWith('\n')) chunk = chunk.slice(1);
    this.pendingCr = false;
    this.buffer += chunk;
    const events: SseEvent[] = [];
    const lineEnd = /\r\n|\r|\n/g;
    let start = 0;
    let match: RegExpExecArray | null;
    while ((match = lineEnd.exec(this.buffer))) {
      // A trailing lone `\r` may be the first half of a CRLF split across chunks.
      if (match[0] === '\r' && match.index === this.buffer.length - 1) this.pendingCr = true;
      const event = this.line(this.buffer.slice(start, match.index));
      if (event) events.push(event);
      start = lineEnd.lastIndex;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment, e.g. the server's `: ping` heartbeat
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') this.event = value;
    else if (field === 'data') this.data.push(value);
    else if (field === 'id' && !value.includes('\0')) this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const hasData = this.data.length > 0;
    const event: SseEvent = { event: this.event || 'message', data: this.data.join('\n') };
    if (this.id !== undefined) event.id = this.id;
    this.event = '';
    this.data = [];
    // Per the spec, a block without data lines dispatches nothing.
    return hasData ? event : undefined;
  }
}

/**
 * Reads a `text/event-stream` body to its end, yielding each event as soon as it is complete.
 * `onChunk` hears every chunk, heartbeats included, so a caller can treat them as signs of life.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, onChunk?: () => void): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      onChunk?.();
      yield* parser.push(decoder.decode(value, { stream: true }));
    }
    // An event still in the buffer at the end lacked its blank line: the stream was cut, so it is dropped.
    parser.push(decoder.decode());
  } finally {
    // Stops the download when the consumer leaves early (e.g. after `done`, or on dispose).
    reader.cancel().catch(() => undefined);
  }
}
