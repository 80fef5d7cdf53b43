import type { Response } from 'express';
import type { StreamEventMap, StreamEventName } from '../contract.js';

/** A Server-Sent Events stream on one response: typed events, heartbeats, and knowing when the client left. */
export class EventStream {
  private readonly heartbeat: NodeJS.Timeout;
  private open = true;

  constructor(private readonly res: Response, heartbeatMs = 15_000) {
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Connection', 'keep-alive');
    // Tell nginx-style proxies not to buffer the stream.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    this.heartbeat = setInterval(() => this.write(': ping\n\n'), heartbeatMs);
    this.heartbeat.unref();
    res.on('close', () => this.stop());
  }

  /** False once the client disconnected or the stream ended. */
  get connected(): boolean {
    return this.open;
  }

  send<E extends StreamEventName>(event: E, data: StreamEventMap[E]): void {
    this.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
  }

  end(): void {
    this.stop();
    if (!this.res.writableEnded) this.res.end();
  }

  private write(chunk: string): void {
    if (this.open && !this.res.writableEnded) this.res.write(chunk);
  }

  private stop(): void {
    this.open = false;
    clearInterval(this.heartbeat);
  }
}
