// Long conversations in `<todo-chat>`, headless Chromium against the real server, conversations seeded in SQL:
// 1. first render: from setting `conversation-id` to the last message on screen, 100 vs 10k vs 100k messages
//    (the element fetches only the latest page, so the goal is: flat);
// 2. message DOM nodes with 1k / 10k / 100k messages loaded into the element (goal: flat, virtualization);
// 3. frames over 16.7 ms while scrolling through 10k loaded messages (goal < 5%), rAF intervals in the page,
//    next to the same page idle (the machine's own baseline).
// Run: npm run build && node --import tsx bench/widget-history.ts
import type { Page } from 'playwright-core';
import { RUNS, benchUser, median, startBench, table, writeResult } from './widget-lib.js';

const RENDER_SIZES = process.env.BENCH_RENDER_SIZES?.split(',').map(Number) ?? (process.env.BENCH_QUICK ? [100, 1_000] : [100, 10_000, 100_000]);
const NODE_SIZES = process.env.BENCH_QUICK ? [1_000] : [1_000, 10_000, 100_000];
const SCROLL_SIZE = process.env.BENCH_QUICK ? 1_000 : 10_000;
const SCROLL_SECONDS = 5;
/** px/s: a reading scroll, and a fling through the history. */
const SPEEDS = [2_000, 10_000];
const FRAME_MS = 1000 / 60;

type Chat = HTMLElement & {
  client: { state: { conversationId: string | null; messages: unknown[]; hasMore: boolean; loadingHistory: boolean }; setOptions(o: object): void; loadOlder(): Promise<void> };
};

/** In the page: sets `conversation-id` and resolves at the frame where the conversation's last message is on screen. */
async function firstRender(page: Page, id: string, lastText: string): Promise<{ total: number; data: number }> {
  await page.evaluate(() => (document.querySelector('todo-chat') as Chat).removeAttribute('conversation-id'));
  await page.waitForFunction(() => (document.querySelector('todo-chat') as Chat).client.state.conversationId === null);
  return page.evaluate(
    ([id, lastText]) =>
      new Promise<{ total: number; data: number }>((resolve, reject) => {
        const chat = document.querySelector('todo-chat') as Chat;
        const root = chat.shadowRoot!;
        // When the page of messages reached the client: splits server + network from rendering.
        let data = NaN;
        const onChange = (event: Event) => {
          const state = (event as CustomEvent<Chat['client']['state']>).detail;
          if (state.conversationId === id && !state.loadingHistory && state.messages.length && Number.isNaN(data)) data = performance.now() - t0;
        };
        (chat.client as unknown as EventTarget).addEventListener('change', onChange);
        const t0 = performance.now();
        chat.setAttribute('conversation-id', id!);
        const deadline = t0 + 60_000;
        const check = () => {
          const log = root.querySelector<HTMLElement>('.log');
          const row = log && [...root.querySelectorAll<HTMLElement>('.row')].find((r) => r.textContent?.includes(lastText!));
          if (log && row) {
            const view = log.getBoundingClientRect();
            const box = row.getBoundingClientRect();
            if (box.height && box.top >= view.top - 1 && box.bottom <= view.bottom + 1) {
              (chat.client as unknown as EventTarget).removeEventListener('change', onChange);
              return resolve({ total: performance.now() - t0, data });
            }
          }
          if (performance.now() > deadline) {
            const rows = [...root.querySelectorAll<HTMLElement>('.row')];
            const state = chat.client.state;
            return reject(
              new Error(
                `"${lastText}" never showed: conversation ${state.conversationId} (${state.messages.length} messages, ` +
                  `loading ${state.loadingHistory}), ${rows.length} rows from "${rows[0]?.textContent?.trim().slice(0, 40)}" ` +
                  `to "${rows.at(-1)?.textContent?.trim().slice(0, 40)}", scrollTop ${log?.scrollTop} of ${log?.scrollHeight}`,
              ),
            );
          }
          requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      }),
    [id, lastText],
  );
}

/** Opens a conversation and loads all of it through the client (500-message pages from the real server). */
async function loadAll(page: Page, id: string, count: number): Promise<void> {
  await page.evaluate(async ([id, count]) => {
    const chat = document.querySelector('todo-chat') as Chat;
    chat.setAttribute('conversation-id', id as string);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
    while (chat.client.state.conversationId !== id || chat.client.state.loadingHistory || !chat.client.state.messages.length) await settle();
    chat.client.setOptions({ pageSize: 500 });
    while (chat.client.state.hasMore) await chat.client.loadOlder();
    chat.client.setOptions({ pageSize: 50 });
    if (chat.client.state.messages.length !== count) throw new Error(`loaded ${chat.client.state.messages.length} of ${count}`);
  }, [id, count] as const);
  // Let the virtualizer settle (it lays out over a few frames).
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 500)));
}

function countNodes(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('todo-chat')!.shadowRoot!;
    return { messages: root.querySelectorAll('.message').length, elements: root.querySelectorAll('*').length };
  });
}

/** rAF intervals for `seconds`, scrolling the log up at `speed` px/s (0: idle), from the bottom. */
function frames(page: Page, speed: number, seconds: number) {
  return page.evaluate(
    ([speed, seconds]) =>
      new Promise<{ intervals: number[]; scrolledPx: number; rowsSeen: number }>((resolve) => {
        const root = document.querySelector('todo-chat')!.shadowRoot!;
        const log = root.querySelector<HTMLElement>('.log')!;
        log.scrollTop = log.scrollHeight;
        const intervals: number[] = [];
        const seen = new Set<string>();
        let last = 0;
        let start = 0;
        let scrolled = 0;
        requestAnimationFrame(function tick(now) {
          if (!start) start = now;
          else {
            intervals.push(now - last);
            const step = (speed! * (now - last)) / 1000;
            log.scrollTop -= step;
            scrolled += step;
          }
          last = now;
          for (const row of root.querySelectorAll<HTMLElement>('.row[data-key]')) seen.add(row.dataset.key!);
          if (now - start < seconds! * 1000) requestAnimationFrame(tick);
          else resolve({ intervals, scrolledPx: Math.round(scrolled), rowsSeen: seen.size });
        });
      }),
    [speed, seconds],
  );
}

/**
 * Main-thread CPU time (thread time, not wall time) per frame, from a Chromium trace: the RunTask slices of
 * the page's main thread, grouped by the animation frame they ran in. Unlike frame intervals, this barely
 * depends on how many other processes share the CPU, so it estimates the frames a dedicated core would miss.
 */
function cpuPerFrame(trace: Buffer): number[] {
  type Event = { name: string; ph: string; pid: number; tid: number; ts: number; tdur?: number; args?: { name?: string } };
  const events = (JSON.parse(trace.toString('utf8')) as { traceEvents: Event[] }).traceEvents;
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const onMain = events.filter((e) => main.has(`${e.pid}:${e.tid}`));
  const frames = onMain.filter((e) => e.name === 'FireAnimationFrame').map((e) => e.ts).sort((a, b) => a - b);
  const cpu = new Array<number>(Math.max(0, frames.length - 1)).fill(0);
  for (const task of onMain) {
    if (task.name !== 'RunTask' || task.ph !== 'X' || task.ts < frames[0]! || task.ts >= frames.at(-1)!) continue;
    let lo = 0;
    let hi = frames.length - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (frames[mid]! <= task.ts) lo = mid;
      else hi = mid;
    }
    cpu[lo]! += (task.tdur ?? 0) / 1000;
  }
  return cpu;
}

const share = (intervals: number[], over: number) => intervals.filter((i) => i > over).length / intervals.length;
const pct = (value: number) => `${(value * 100).toFixed(1)}%`;

const bench = await startBench();
const user = benchUser('history');
const renders: Record<number, number[]> = {};
const dataTimes: Record<number, number[]> = {};
const nodes: { size: number; messages: number; elements: number }[] = [];
const scrolls: {
  speed: number;
  over16: number[];
  over25: number[];
  fps: number[];
  cpuOver16: number[];
  cpuMedian: number[];
  rowsSeen: number[];
  scrolledPx: number[];
}[] = [];
try {
  const ids: Record<number, string> = {};
  for (const size of new Set([...RENDER_SIZES, ...NODE_SIZES])) ids[size] = await bench.seed(user, size);
  // The last seeded message (an odd index: an assistant reply) says "task <count - 1>".
  const lastText = (size: number) => `task ${size - 1}.`;

  for (let run = 0; run < RUNS; run++) {
    // A fresh page per run, so no run reuses another's rendered Markdown.
    const page = await bench.open(user);
    for (const size of RENDER_SIZES) {
      const { total, data } = await firstRender(page, ids[size]!, lastText(size));
      (renders[size] ??= []).push(total);
      (dataTimes[size] ??= []).push(data);
    }

    // Scrolling: 10k messages loaded; the idle page first, as the baseline of this machine at this moment.
    await loadAll(page, ids[SCROLL_SIZE]!, SCROLL_SIZE);
    for (const speed of [0, ...SPEEDS]) {
      await bench.browser.startTracing(page, { categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'] });
      const { intervals, rowsSeen, scrolledPx } = await frames(page, speed, SCROLL_SECONDS);
      const cpu = cpuPerFrame(await bench.browser.stopTracing());
      let entry = scrolls.find((s) => s.speed === speed);
      if (!entry) scrolls.push((entry = { speed, over16: [], over25: [], fps: [], cpuOver16: [], cpuMedian: [], rowsSeen: [], scrolledPx: [] }));
      entry.cpuOver16.push(share(cpu, FRAME_MS));
      entry.cpuMedian.push(median(cpu));
      // "Over 16.7 ms" with a 0.5 ms allowance for vsync jitter; "over 25 ms" = at least one frame missed.
      entry.over16.push(share(intervals, FRAME_MS + 0.5));
      entry.over25.push(share(intervals, FRAME_MS * 1.5));
      entry.fps.push((intervals.length / intervals.reduce((a, b) => a + b, 0)) * 1000);
      entry.rowsSeen.push(rowsSeen);
      entry.scrolledPx.push(scrolledPx);
    }
    await page.context().close();
  }

  // DOM size: counts, not timings, so one pass is enough.
  const page = await bench.open(user);
  for (const size of NODE_SIZES) {
    await loadAll(page, ids[size]!, size);
    nodes.push({ size, ...(await countNodes(page)) });
  }
  await page.context().close();
} finally {
  await bench.close();
}

console.log(`\nFirst render (set conversation-id → last message on screen), median of ${RUNS} runs`);
table([
  ['messages', 'median', 'page fetched', 'min', 'max', '× 100-message'],
  ...RENDER_SIZES.map((size) => {
    const t = renders[size]!;
    return [size.toLocaleString('en'), `${median(t).toFixed(1)} ms`, `${median(dataTimes[size]!).toFixed(1)} ms`, `${Math.min(...t).toFixed(1)} ms`, `${Math.max(...t).toFixed(1)} ms`, `×${(median(t) / median(renders[RENDER_SIZES[0]!]!)).toFixed(2)}`];
  }),
]);

console.log(`\nScrolling ${SCROLL_SIZE.toLocaleString('en')} loaded messages for ${SCROLL_SECONDS} s, median of ${RUNS} runs (goal: < 5% of frames over 16.7 ms)`);
table([
  ['scroll', 'frames > 16.7 ms', 'frames > 25 ms', 'fps', 'CPU/frame (median)', 'CPU > 16.7 ms', 'rows rendered'],
  ...scrolls.map((s) => [
    s.speed ? `${s.speed} px/s` : 'idle (baseline)',
    pct(median(s.over16)),
    pct(median(s.over25)),
    median(s.fps).toFixed(1),
    `${median(s.cpuMedian).toFixed(1)} ms`,
    pct(median(s.cpuOver16)),
    String(median(s.rowsSeen)),
  ]),
]);

console.log('\nMessage DOM nodes with the whole conversation loaded (goal: flat)');
table([['messages loaded', '.message nodes', 'shadow-root elements'], ...nodes.map((n) => [n.size.toLocaleString('en'), String(n.messages), String(n.elements)])]);

writeResult('widget-history', {
  firstRender: RENDER_SIZES.map((size) => ({
    messages: size,
    medianMs: median(renders[size]!),
    medianPageFetchedMs: median(dataTimes[size]!), runsMs: renders[size]!.map((t) => Number(t.toFixed(1))) })),
  scroll: {
    messages: SCROLL_SIZE,
    seconds: SCROLL_SECONDS,
    goalShareOver16ms: 0.05,
    results: scrolls.map((s) => ({
      speedPxPerSecond: s.speed,
      medianShareOver16ms: median(s.over16),
      medianShareOver25ms: median(s.over25),
      medianFps: median(s.fps),
      medianMainThreadCpuPerFrameMs: median(s.cpuMedian),
      medianShareOfFramesWithCpuOver16ms: median(s.cpuOver16),
      runsShareOver16ms: s.over16,
      rowsRendered: s.rowsSeen,
      scrolledPx: s.scrolledPx,
    })),
  },
  domNodes: nodes,
});
