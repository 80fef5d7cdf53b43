import type { ChatTopic, Status } from './intents.js';
import { QUESTION } from './intents.js';
import type { Question, WorkingTask } from './resolver.js';
import { escapeMarkdown, plural, stableHash } from './text.js';

/**
 * Everything the built-in agent says. Short, friendly markdown; no clock, no randomness, so the same
 * history and message always read the same. Titles are escaped: they are the user's text, not markup.
 */

const bold = (title: string) => `**${escapeMarkdown(title)}**`;

function names(tasks: readonly { title: string }[]): string {
  const titles = tasks.map((t) => bold(t.title));
  return titles.length <= 1 ? (titles[0] ?? '') : `${titles.slice(0, -1).join(', ')} and ${titles.at(-1)}`;
}

/** A numbered list, completed tasks checked and struck through, descriptions after a dash. */
export function numbered(tasks: readonly WorkingTask[]): string {
  return tasks
    .map((t, i) => {
      const title = t.completed ? `✅ ~~${escapeMarkdown(t.title)}~~` : escapeMarkdown(t.title);
      const note = t.description ? ` — ${escapeMarkdown(t.description.replace(/\s+/g, ' '))}` : '';
      return `${i + 1}. ${title}${note}`;
    })
    .join('\n');
}

export function listReply(status: Status, tasks: readonly WorkingTask[], options: { countOnly?: boolean; noDates?: boolean }): string {
  const done = tasks.filter((t) => t.completed).length;
  if (!tasks.length) {
    return status === 'pending'
      ? "Nothing pending — you're all caught up! 🎉"
      : status === 'completed'
        ? "You haven't completed any tasks yet."
        : 'Your list is empty. Add a task with something like "add buy milk".';
  }
  const header =
    status === 'pending' ? `You have ${plural(tasks.length, 'pending task')}`
    : status === 'completed' ? `You've completed ${plural(tasks.length, 'task')}`
    : `You have ${plural(tasks.length, 'task')}${done ? ` (${done} done)` : ''}`;
  if (options.countOnly) return `${header}.`;
  const dates = options.noDates ? "\n\nI don't track due dates, so that's everything still open." : '';
  return `${header}:\n${numbered(tasks)}${dates}`;
}

export const addReply = (tasks: readonly WorkingTask[], description?: string) =>
  `Added ${names(tasks)}${tasks.length > 1 ? ' to your tasks' : ''}.${description ? ' I saved the description too.' : ''}`;

export function completeReply(done: readonly WorkingTask[], already: readonly WorkingTask[]): string {
  const parts: string[] = [];
  if (done.length) parts.push(`Marked ${names(done)} as done. ✅`);
  if (already.length) parts.push(`${names(already)} ${already.length === 1 ? 'was' : 'were'} already done.`);
  return parts.join(' ');
}

export const completeAllReply = (tasks: readonly WorkingTask[]) =>
  tasks.length ? `Marked all ${plural(tasks.length, 'pending task')} as done. ✅` : 'Nothing to mark — every task is already done. 🎉';

export function updateReply(oldTitle: string, task: WorkingTask, title?: string, description?: string): string {
  const parts: string[] = [];
  if (title !== undefined) parts.push(`Renamed ${bold(oldTitle)} to ${bold(title)}.`);
  if (description !== undefined) parts.push(`Updated the description of ${bold(task.title)}.`);
  return parts.join(' ');
}

export const deleteReply = (tasks: readonly WorkingTask[]) => `Deleted ${names(tasks)}.`;

export function deleteAllReply(status: 'all' | 'completed', tasks: readonly WorkingTask[], confirmed: boolean): string {
  if (!tasks.length) return status === 'completed' ? 'There are no completed tasks to clear.' : 'Your list is already empty.';
  const which = status === 'completed' ? `your ${plural(tasks.length, 'completed task')}` : tasks.length === 1 ? 'your only task' : `all ${tasks.length} of your tasks`;
  if (confirmed) return `Deleted ${which}. 🧹`;
  return `That would delete ${which}, and it can't be undone. ${QUESTION.confirm}`;
}

export function notFoundReply(said: string, total: number, shown?: number): string {
  const what = /^"/.test(said) ? `a task matching ${escapeMarkdown(said)}` : escapeMarkdown(said);
  if (shown !== undefined) return `I couldn't find ${what}: the list I showed you last had ${plural(shown, 'task')}. Say "show my tasks" to see them all.`;
  return `I couldn't find ${what}${total ? ` — you have ${plural(total, 'task')}. Say "show my tasks" to see them.` : ' — your list is empty.'}`;
}

export const failedReply = (title: string) => `${bold(title)} is no longer on your list.`;

/** A tool refused or its task service failed: its own sentence says what to do. */
export const toolProblemReply = (problems: readonly string[]) =>
  problems.length ? problems.join(' ') : 'Something went wrong with your tasks. Please try again.';

export function questionReply(question: Question): string {
  if (question.kind === 'which') return `${QUESTION.which} You can say its number from the list or part of its title.`;
  const said = question.said === 'it' || question.said === 'that' ? 'that' : `"${escapeMarkdown(question.said)}"`;
  return `A few tasks match ${said}. ${QUESTION.clarify}\n${numbered(question.candidates)}`;
}

export const suggestAddReply = (title: string) => `Should I add ${bold(title)} to your tasks? ${QUESTION.confirm}`;
export const askTitleReply = () => `Sure! ${QUESTION.title}`;
export const cancelledReply = () => "Okay, I won't change anything.";

const HELP = [
  "Here's what I can do with your tasks:",
  '- **Add**: "add buy milk", "remind me to call mom", "add milk, eggs and bread"',
  '- **List**: "show my tasks", "what\'s pending?", "what have I finished?"',
  '- **Complete**: "mark task 2 as done", "I finished the report", "mark all done"',
  '- **Rename**: "rename task 1 to buy oat milk", "change the description of task 2 to after 5pm"',
  '- **Delete**: "delete task 3", "remove the milk task", "clear completed tasks"',
  'Numbers refer to the last list I showed you.',
].join('\n');

const JOKES = [
  "Why did the to-do list go to therapy? It had too many unresolved issues. 😄",
  'I told my tasks a joke about procrastination. They said they\'d laugh later. 😄',
  'My to-do list and I have a great relationship: I ignore it, it grows. 😄',
];

export function chatReply(topic: ChatTopic, message: string): string {
  switch (topic) {
    case 'greeting':
      return 'Hi! 👋 I can add, list, complete, rename and delete your tasks. What would you like to do?';
    case 'thanks':
      return "You're welcome! Anything else I can do for your tasks?";
    case 'ack':
      return '👍 Anything else?';
    case 'bye':
      return 'Bye for now! Your tasks will be here when you come back. 👋';
    case 'identity':
      return "I'm the built-in task assistant. I work offline and keep your to-do list tidy: say \"help\" to see what I understand.";
    case 'wellbeing':
      return "I'm doing great, thanks for asking! How can I help with your tasks?";
    case 'help':
      return HELP;
    case 'joke':
      return JOKES[stableHash(message) % JOKES.length]!;
    case 'about_tasks':
      return 'I hear you. When you want to act on your tasks, try "show my tasks", "add …" or say "help" for more.';
    case 'other_user':
      return "I can only see and change your own tasks — other people's lists are private to them.";
    case 'injection':
      return 'I can only help with your own tasks. Say "help" to see what I can do.';
    case 'reopen':
      return "I can't mark a task as not done yet. You can add it again, or reopen it in your todo app.";
    case 'yes':
      return 'Okay! What would you like to do? Say "help" for ideas.';
    case 'no':
      return 'No problem.';
    case 'unknown':
      return "Sorry, I didn't get that. I can add, list, complete, rename and delete tasks — say \"help\" for examples.";
  }
}
