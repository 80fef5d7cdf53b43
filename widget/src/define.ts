/**
 * Registers `<todo-chat>`. Import this module (or load the script-tag build) once per page; loading both
 * builds, or this module twice, is harmless: the first registration wins and the rest do nothing.
 */
import { TodoChat } from './todo-chat/todo-chat.component.js';

export { TodoChat };

if (typeof customElements !== 'undefined' && !customElements.get('todo-chat')) {
  customElements.define('todo-chat', TodoChat);
}
