import type { Task } from '../../contract.js';
import type { ConversationView, ShownItem } from './history.js';
import type { Command, Ref, Status } from './intents.js';
import { contentWords, normalizeTitle, typoBudget, withinTypos } from './text.js';

/** A task as the turn sees it while planning; `id` is null for a task this turn is about to add. */
export interface WorkingTask {
  id: string | null;
  title: string;
  description: string | null;
  completed: boolean;
}

/** What to do, with every reference already pinned to a task. */
export type Step =
  | { kind: 'add'; tasks: WorkingTask[]; description?: string }
  | { kind: 'list'; status: Status; countOnly?: boolean; noDates?: boolean; snapshot?: WorkingTask[] }
  | { kind: 'complete'; tasks: WorkingTask[]; already: WorkingTask[] }
  | { kind: 'complete_all'; tasks: WorkingTask[] }
  | { kind: 'update'; task: WorkingTask; oldTitle: string; title?: string; description?: string }
  | { kind: 'delete'; tasks: WorkingTask[] }
  | { kind: 'delete_all'; status: 'all' | 'completed'; tasks: WorkingTask[]; confirmed: boolean }
  /** `shown` is the length of the list a missing position was read from. */
  | { kind: 'not_found'; said: string; total: number; shown?: number };

export type Question =
  | { kind: 'ambiguous'; said: string; candidates: WorkingTask[] }
  | { kind: 'which' };

export type Plan = { steps: Step[] } | { question: Question };

/** Commands that point at existing tasks need the current list to be resolved. */
export function needsLookup(commands: readonly Command[]): boolean {
  return commands.some((c) => c.kind !== 'add' && c.kind !== 'list');
}

type Resolved = { tasks: WorkingTask[] } | { question: Question } | { notFound: string; shown?: number };

/**
 * Pins every reference to a task before anything changes, so that a question ("which one?") is asked
 * before any tool runs and answering it replays the request cleanly. Simulates the commands on a
 * working copy so that "add milk and mark it done" and "delete task 2, then task 3" mean what they say.
 * `answer` (the reply to our last question) replaces the first reference that cannot be pinned.
 */
export function plan(commands: readonly Command[], current: Task[] | undefined, view: ConversationView, answer?: Ref): Plan {
  const working: WorkingTask[] = (current ?? []).map((t) => ({ ...t }));
  let shown: ShownItem[] | undefined = view.shownList;
  let shownTasks: WorkingTask[] | undefined;
  let touched: WorkingTask[] = view.lastTouched.flatMap((item) => byItem(item, working) ?? []);
  let pendingAnswer = answer;
  const steps: Step[] = [];

  const resolveOne = (ref: Ref, preferPending: boolean): Resolved => {
    const result = resolve(ref, preferPending);
    if ('question' in result && pendingAnswer) {
      const substitute = pendingAnswer;
      pendingAnswer = undefined;
      return resolve(substitute, preferPending);
    }
    return result;
  };

  const resolve = (ref: Ref, preferPending: boolean): Resolved => {
    if (ref.kind === 'pronoun') {
      if (!touched.length) return { question: { kind: 'which' } };
      if (!ref.plural && touched.length > 1) return { question: { kind: 'ambiguous', said: 'it', candidates: touched } };
      return { tasks: touched };
    }
    if (ref.kind === 'position') {
      const list = shownTasks ?? shown;
      const index = ref.n === -1 ? (list ?? working).length - 1 : ref.n - 1;
      const said = ref.n === -1 ? 'the last task' : `task ${ref.n}`;
      if (!list) return working[index] ? { tasks: [working[index]] } : { notFound: said };
      const entry = list[index];
      if (!entry) return { notFound: said, shown: list.length };
      if ('completed' in entry) return working.includes(entry) ? { tasks: [entry] } : { notFound: said };
      const found = byItem(entry, working);
      if (found === undefined) return { notFound: `${said} (${entry.title})` };
      if (found.length > 1) return { question: { kind: 'ambiguous', said: entry.title, candidates: found } };
      return { tasks: found };
    }
    const whole = match(ref.text, working, preferPending);
    if (whole.tasks.length === 1 && whole.tier >= 3) return { tasks: whole.tasks };
    if (ref.parts) {
      const parts = ref.parts.map((part) => match(part, working, preferPending));
      if (parts.every((p) => p.tasks.length === 1 && p.tier >= 2)) return { tasks: [...new Set(parts.map((p) => p.tasks[0]!))] };
    }
    if (whole.tasks.length === 1) return { tasks: whole.tasks };
    if (whole.tasks.length > 1) return { question: { kind: 'ambiguous', said: ref.text, candidates: whole.tasks } };
    return { notFound: `"${ref.text}"` };
  };

  /** Resolves several references; a question stops the whole plan, a miss becomes a note. */
  const resolveAll = (refs: readonly Ref[], preferPending: boolean): WorkingTask[] | Question => {
    const found: WorkingTask[] = [];
    for (const ref of refs) {
      const result = resolveOne(ref, preferPending);
      if ('question' in result) return result.question;
      if ('notFound' in result) {
        const step: Step = { kind: 'not_found', said: result.notFound, total: working.length };
        if (result.shown !== undefined) step.shown = result.shown;
        steps.push(step);
      }
      else for (const task of result.tasks) if (!found.includes(task)) found.push(task);
    }
    return found;
  };

  for (const command of commands) {
    switch (command.kind) {
      case 'add': {
        const tasks = command.titles.map((title) => ({ id: null, title, description: command.description ?? null, completed: false }));
        working.push(...tasks);
        steps.push(command.description === undefined ? { kind: 'add', tasks } : { kind: 'add', tasks, description: command.description });
        touched = tasks;
        break;
      }
      case 'list': {
        const step: Step = { kind: 'list', status: command.status };
        if (command.countOnly) step.countOnly = true;
        if (command.noDates) step.noDates = true;
        if (current) {
          step.snapshot = working.filter((t) => command.status === 'all' || t.completed === (command.status === 'completed'));
          shownTasks = step.snapshot;
          shown = undefined;
        }
        steps.push(step);
        break;
      }
      case 'complete': {
        const tasks = resolveAll(command.refs, true);
        if (!Array.isArray(tasks)) return { question: tasks };
        if (!tasks.length) break;
        const already = tasks.filter((t) => t.completed);
        const todo = tasks.filter((t) => !t.completed);
        for (const task of todo) task.completed = true;
        steps.push({ kind: 'complete', tasks: todo, already });
        touched = tasks;
        break;
      }
      case 'complete_all': {
        const tasks = working.filter((t) => !t.completed);
        for (const task of tasks) task.completed = true;
        steps.push({ kind: 'complete_all', tasks });
        touched = tasks;
        break;
      }
      case 'update': {
        const tasks = resolveAll([command.ref], false);
        if (!Array.isArray(tasks)) return { question: tasks };
        const task = tasks[0];
        if (!task) break;
        if (tasks.length > 1) return { question: { kind: 'ambiguous', said: 'that', candidates: tasks } };
        const step: Step = { kind: 'update', task, oldTitle: task.title };
        if (command.title !== undefined) task.title = step.title = command.title;
        if (command.description !== undefined) task.description = step.description = command.description;
        steps.push(step);
        touched = [task];
        break;
      }
      case 'delete': {
        const tasks = resolveAll(command.refs, false);
        if (!Array.isArray(tasks)) return { question: tasks };
        if (!tasks.length) break;
        for (const task of tasks) working.splice(working.indexOf(task), 1);
        steps.push({ kind: 'delete', tasks });
        touched = [];
        break;
      }
      case 'delete_all': {
        const tasks = working.filter((t) => command.status === 'all' || t.completed);
        if (command.confirmed) for (const task of tasks) working.splice(working.indexOf(task), 1);
        steps.push({ kind: 'delete_all', status: command.status, tasks, confirmed: command.confirmed });
        touched = [];
        break;
      }
    }
  }
  return { steps };
}

/** A shown list item → the working task(s) it names: by id when known, else by exact title. */
function byItem(item: ShownItem, working: WorkingTask[]): WorkingTask[] | undefined {
  if (item.id) {
    const task = working.find((t) => t.id === item.id);
    return task ? [task] : undefined;
  }
  const title = normalizeTitle(item.title);
  const same = working.filter((t) => normalizeTitle(t.title) === title);
  return same.length ? same : undefined;
}

/**
 * Forgiving title matching, best tier wins:
 * 6 same title (ignoring case, articles, punctuation) · 5 same meaningful words ("walking the dogs") ·
 * 4 every word of the query appears in the title ("dog" → "Walk the dog") ·
 * 3 a small typo in the whole title ("by mlik") · 2 typos or word beginnings per word ("groc" → "groceries").
 * Two tasks on the best tier are ambiguous, unless completing and only one is still pending.
 */
export function match(query: string, tasks: readonly WorkingTask[], preferPending: boolean): { tier: number; tasks: WorkingTask[] } {
  const q = normalizeTitle(query);
  if (!q) return { tier: 0, tasks: [] };
  const qWords = contentWords(q);
  let best = 0;
  let found: WorkingTask[] = [];
  for (const task of tasks) {
    const t = normalizeTitle(task.title);
    const tWords = contentWords(t);
    const tier =
      t === q ? 6
      : tWords.join(' ') === qWords.join(' ') ? 5
      : qWords.every((w) => tWords.includes(w)) ? 4
      : withinTypos(q, t, typoBudget(Math.max(q.length, t.length))) ? 3
      : qWords.every((w) => tWords.some((tw) => (w.length >= 3 && tw.startsWith(w)) || withinTypos(w, tw, typoBudget(Math.min(w.length, tw.length)))))
        ? 2
        : 0;
    if (tier > best) {
      best = tier;
      found = [task];
    } else if (tier === best && tier > 0) {
      found.push(task);
    }
  }
  if (found.length > 1 && preferPending) {
    const pending = found.filter((t) => !t.completed);
    if (pending.length === 1) found = pending;
  }
  return { tier: best, tasks: found };
}
