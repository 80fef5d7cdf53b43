import { expect } from '@open-wc/testing';
import { readSse, SseParser, type SseEvent } from '../../src/client/sse.js';

/** Feeds `chunks` to one parser and collects every event it completes. */
function parse(...chunks: string[]): SseEvent[] {
  const parser = new SseParser();
  return chunks.flatMap((chunk) => parser.push(chunk));
}

/** A real ReadableStream of the given byte chunks, as fetch would hand it over. */
function streamOf(...chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
}

describe('SSE parsing', () => {
  it('reads named events with JSON data', () => {
    expect(parse('event: delta\ndata: {"text":"Hi"}\n\n')).to.deep.equal([{ event: 'delta', data: '{"text":"Hi"}' }]);
  });

  it('puts an event back together when it arrives split across chunks anywhere', () => {
    const text = 'event: delta\ndata: {"text":"Hello"}\n\nevent: done\ndata: {"ok":true}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      expect(parse(text.slice(0, cut), text.slice(cut)), `cut at ${cut}`).to.deep.equal([
        { event: 'delta', data: '{"text":"Hello"}' },
        { event: 'done', data: '{"ok":true}' },
      ]);
    }
  });

  it('joins multi-line data with newlines', () => {
    expect(parse('data: first\ndata: second\ndata:third\n\n')).to.deep.equal([{ event: 'message', data: 'first\nsecond\nthird' }]);
  });

  it('ignores comments and heartbeats', () => {
    expect(parse(': ping\n\n', 'event: delta\n: in between\ndata: x\n\n', ': ping\n\n')).to.deep.equal([{ event: 'delta', data: 'x' }]);
  });

  it('accepts CRLF and CR line endings, even a CRLF split between chunks', () => {
    expect(parse('event: a\r\ndata: 1\r\n\r\n')).to.deep.equal([{ event: 'a', data: '1' }]);
    expect(parse('event: b\rdata: 2\r\r')).to.deep.equal([{ event: 'b', data: '2' }]);
    expect(parse('event: c\r', '\ndata: 3\r', '\n\r', '\n')).to.deep.equal([{ event: 'c', data: '3' }]);
  });

  it('keeps the last event id and skips blocks without data', () => {
    expect(parse('id: 7\nevent: nothing\n\nevent: x\ndata: y\n\n')).to.deep.equal([{ event: 'x', data: 'y', id: '7' }]);
  });

  it('treats a field without a colon as an empty value', () => {
    expect(parse('data\n\n')).to.deep.equal([{ event: 'message', data: '' }]);
  });

  it('decodes UTF-8 characters split between network chunks', async () => {
    const bytes = new TextEncoder().encode('event: delta\ndata: {"text":"héllo 👋"}\n\n');
    const events: SseEvent[] = [];
    const cut = bytes.indexOf(0xf0) + 2; // inside the 4-byte emoji
    for await (const event of readSse(streamOf(bytes.slice(0, cut), bytes.slice(cut)))) events.push(event);
    expect(events).to.deep.equal([{ event: 'delta', data: '{"text":"héllo 👋"}' }]);
  });

  it('drops an event the stream cut off before its blank line', async () => {
    const encoder = new TextEncoder();
    const events: SseEvent[] = [];
    for await (const event of readSse(streamOf(encoder.encode('data: whole\n\ndata: cut')))) events.push(event);
    expect(events).to.deep.equal([{ event: 'message', data: 'whole' }]);
  });
});
