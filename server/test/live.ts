import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Agent, AgentEvent, AgentTurn } from '../src/agent/agent.js';
import { packagePath } from '../src/paths.js';
import type { StreamEventMap, StreamEventName } from '../src/contract.js';

/**
 * Helpers for tests that talk to a real listening server: reading Server-Sent Events with `fetch`
 * (supertest buffers a stream until it ends), spawning the real entry point, and agents that let a
 * test decide when an answer moves on.
 */

export type StreamEvent = { [E in StreamEventName]: { event: E; data: StreamEventMap[E] } }[StreamEventName];

/** Reads an SSE body event by event; `next()` resolves `undefined` once the server ended the stream. */
export class EventReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private readonly reader: ReadableStreamDefaultReader<Uint8Array>;

  constructor(response: Response) {
    if (!response.body) throw new Error('the response has no body');
    this.reader = response.body.getReader();
  }

  async next(): Promise<StreamEvent | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        const event = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        // Comment lines (`: ping` heartbeats) carry no event.
        if (event && data !== undefined) return { event, data: JSON.parse(data) } as StreamEvent;
        continue;
      }
      const { value, done } = await this.reader.read();
      if (done) return undefined;
      this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  async all(): Promise<StreamEvent[]> {
    const events: StreamEvent[] = [];
    for (let event = await this.next(); event; event = await this.next()) events.push(event);
    return events;
  }

  /** Hangs up, as a browser tab that is closed mid-answer does. */
  cancel(): Promise<void> {
    return this.reader.cancel();
  }
}

/** A promise a test resolves by hand. */
export function gate(): { opened: Promise<void>; open(): void } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/**
 * An agent that answers `pieces` one at a time and waits for `release` after the first one, so a
 * test can act while a turn is half answered. `fail` makes it throw after the first piece instead.
 */
export class ScriptedAgent implements Agent {
  readonly name = 'scripted';
  started = gate();
  release = gate();
  fail = false;
  runs = 0;

  constructor(readonly pieces: string[]) {}

  get answer(): string {
    return this.pieces.join('');
  }

  async *run(turn: AgentTurn): AsyncIterable<AgentEvent> {
    this.runs++;
    const [first, ...rest] = this.pieces;
    yield { type: 'text', delta: first! };
    this.started.open();
    if (this.fail) throw new Error('the model provider is down');
    // Like a model call, waiting stops when the turn is aborted (timeout, shutdown).
    const aborted = new Promise<never>((_, reject) => {
      if (turn.signal.aborted) reject(turn.signal.reason);
      turn.signal.addEventListener('abort', () => reject(turn.signal.reason), { once: true });
    });
    await Promise.race([this.release.opened, aborted]);
    for (const piece of rest) yield { type: 'text', delta: piece };
  }
}

/** Polls until `check` returns something truthy (a saved answer, a reachable database). */
export async function eventually<T>(check: () => Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`, { cause: lastError });
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote, stdout and stderr. */
  output(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Runs `server/src/main.ts` with `env` (the parent's PATH only) and waits for it to log its URL, which
 * it does at level info.
 */
export async function spawnServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const run = runMain(env);
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`the server did not log its URL (is LOG_LEVEL info?):\n${run.output()}`));
    }, timeoutMs);
    run.onLine((line) => {
      const found = /"url":"(http:[^"]+)"/.exec(line)?.[1];
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    run.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with ${code} before listening:\n${run.output()}`));
    });
  });
  return {
    child: run.child,
    url,
    output: run.output,
    async stop(signal = 'SIGTERM') {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill(signal);
      return run.exited;
    },
  };
}

/** Runs the entry point to its end (for start-up failures) and returns its exit code and output. */
export async function runMainToExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const run = runMain(env);
  return { code: await run.exited, output: run.output() };
}

function runMain(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', packagePath('server', 'src', 'main.ts')], {
    cwd: packagePath(),
    env: {
      PATH: process.env.PATH ?? '',
      // c8 collects the child's coverage through this, so the entry point counts as tested.
      ...(process.env.NODE_V8_COVERAGE ? { NODE_V8_COVERAGE: process.env.NODE_V8_COVERAGE } : {}),
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners: ((line: string) => void)[] = [];
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      output += line + '\n';
      for (const listener of listeners) listener(line);
    });
  }
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return { child, exited, output: () => output, onLine: (listener: (line: string) => void) => listeners.push(listener) };
}
