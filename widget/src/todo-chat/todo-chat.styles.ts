import { css } from 'lit';
import type { TodoChatThemeValue } from './options.js';

const dark = css`
  color-scheme: dark;
  --_bg: var(--todo-chat-background, #0f1115);
  --_surface: var(--todo-chat-surface, #181b22);
  --_text: var(--todo-chat-text, #e6e8eb);
  --_muted: var(--todo-chat-muted, #a2abb6);
  --_border: var(--todo-chat-border, #2e343e);
  --_accent: var(--todo-chat-accent, #818cf8);
  --_accent-text: var(--todo-chat-accent-text, #0b0d12);
  --_danger: var(--todo-chat-danger, #fca5a5);
  --_danger-bg: #3b1d20;
`;

const radii = { pill: '22px', round: '16px', soft: '10px', sharp: '3px' } as const;
const densities = { compact: '0.75', normal: '1', spacious: '1.3' } as const;

/** The colour-scheme class and inline custom properties for a `theme` value (ChatKit-style objects too). */
export function themeStyles(theme: TodoChatThemeValue): { scheme: 'light' | 'dark' | 'auto'; style: Record<string, string> } {
  if (typeof theme === 'string') return { scheme: theme === 'light' || theme === 'dark' ? theme : 'auto', style: {} };
  const style: Record<string, string> = {};
  if (theme.radius) style['--todo-chat-radius'] = radii[theme.radius];
  if (theme.density) style['--_density'] = densities[theme.density];
  if (theme.color?.accent?.primary) style['--todo-chat-accent'] = theme.color.accent.primary;
  return { scheme: theme.colorScheme ?? 'auto', style };
}

export const styles = css`
  /* A flex column, so the chat fills whatever height the page gives it and never less than 360px. */
  :host {
    display: flex;
    flex-direction: column;
    height: 100%;
    min-height: 360px;
    container-type: inline-size;
    font-family: var(--todo-chat-font-family, system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif);
    font-size: var(--todo-chat-font-size, 15px);
    line-height: 1.5;
  }
  :host([hidden]) {
    display: none;
  }
  *,
  *::before,
  *::after {
    box-sizing: border-box;
  }
  .base {
    color-scheme: light;
    --_bg: var(--todo-chat-background, #ffffff);
    --_surface: var(--todo-chat-surface, #f5f6f8);
    --_text: var(--todo-chat-text, #1f2328);
    --_muted: var(--todo-chat-muted, #59636e);
    --_border: var(--todo-chat-border, #d6dbe1);
    --_accent: var(--todo-chat-accent, #4f46e5);
    --_accent-text: var(--todo-chat-accent-text, #ffffff);
    --_danger: var(--todo-chat-danger, #b42318);
    --_danger-bg: #fdecea;
    --_radius: var(--todo-chat-radius, 14px);
    --_space: calc(var(--_density, 1) * 1rem);
    position: relative;
    display: flex;
    flex: 1;
    min-height: 0;
    overflow: hidden;
    background: var(--_bg);
    color: var(--_text);
  }
  .base.dark {
    ${dark}
  }
  @media (prefers-color-scheme: dark) {
    .base.auto {
      ${dark}
    }
  }

  button,
  input,
  textarea {
    font: inherit;
    color: inherit;
  }
  button {
    cursor: pointer;
    border: 1px solid var(--_border);
    background: var(--_bg);
    border-radius: calc(var(--_radius) * 0.7);
    padding: 0.4em 0.9em;
  }
  button:hover {
    border-color: var(--_accent);
  }
  button:disabled {
    cursor: default;
    opacity: 0.45;
  }
  button.icon {
    display: inline-grid;
    place-items: center;
    width: 36px;
    height: 36px;
    padding: 0;
    border-color: transparent;
    background: transparent;
    color: var(--_muted);
  }
  button.icon:hover {
    color: var(--_text);
    background: color-mix(in srgb, var(--_text) 8%, transparent);
  }
  button.link {
    border: 0;
    padding: 0 0.25em;
    background: none;
    color: inherit;
    font-weight: 600;
    text-decoration: underline;
  }
  button.primary {
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }
  button.danger {
    background: var(--_danger);
    border-color: var(--_danger);
    color: var(--_bg);
  }
  button.small {
    font-size: 0.85em;
    padding: 0.25em 0.7em;
  }
  :focus-visible {
    outline: 2px solid var(--_accent);
    outline-offset: 2px;
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    margin: -1px;
    overflow: hidden;
    clip-path: inset(50%);
    white-space: nowrap;
  }
  .muted {
    color: var(--_muted);
  }

  /* Conversation list: a sidebar from 768px, a drawer below. */
  .sidebar {
    display: flex;
    flex-direction: column;
    gap: 0.5rem;
    flex: none;
    width: var(--todo-chat-sidebar-width, 280px);
    padding: 0.75rem;
    overflow-y: auto;
    background: var(--_surface);
    border-right: 1px solid var(--_border);
  }
  .sidebar-head {
    display: flex;
    align-items: center;
    justify-content: space-between;
    min-height: 36px;
    padding-inline-start: 0.25rem;
  }
  h2 {
    margin: 0;
    font-size: 0.95em;
    font-weight: 600;
  }
  .sidebar .new {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    width: 100%;
    font-weight: 600;
  }
  .sidebar ul {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    gap: 2px;
  }
  .conversation {
    display: flex;
    align-items: center;
    border-radius: calc(var(--_radius) * 0.7);
  }
  .conversation:hover,
  .conversation.active {
    background: color-mix(in srgb, var(--_text) 7%, transparent);
  }
  .conversation .open {
    flex: 1;
    min-width: 0;
    display: grid;
    text-align: start;
    border: 0;
    background: none;
    padding: 0.45rem 0.6rem;
  }
  .conversation .title {
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
  }
  .conversation.active .title {
    font-weight: 600;
  }
  .conversation .time {
    font-size: 0.8em;
    color: var(--_muted);
  }
  .conversation .icon {
    width: 30px;
    height: 30px;
    opacity: 0;
  }
  .conversation:hover .icon,
  .conversation:focus-within .icon,
  .conversation.active .icon {
    opacity: 1;
  }
  .conversation.editing {
    display: block;
    padding: 0.5rem;
    background: var(--_bg);
    border: 1px solid var(--_border);
  }
  .conversation.editing p {
    margin: 0 0 0.5rem;
    font-size: 0.9em;
  }
  .conversation input {
    width: 100%;
    font-size: max(16px, 1em);
    padding: 0.3em 0.5em;
    border: 1px solid var(--_border);
    border-radius: 6px;
    background: var(--_bg);
    margin-bottom: 0.5rem;
  }
  .actions {
    display: flex;
    gap: 0.5rem;
  }
  .empty-list {
    padding: 0 0.4rem;
    font-size: 0.9em;
  }
  .scrim {
    position: absolute;
    inset: 0;
    z-index: 2;
    background: rgb(0 0 0 / 0.35);
  }
  @container (max-width: 767.98px) {
    .sidebar {
      position: absolute;
      inset: 0 auto 0 0;
      z-index: 3;
      width: min(85%, 320px);
      transform: translateX(-100%);
      visibility: hidden;
      transition: transform 0.2s ease, visibility 0s linear 0.2s;
      box-shadow: 0 0 24px rgb(0 0 0 / 0.2);
    }
    .sidebar.open {
      transform: none;
      visibility: visible;
      transition: transform 0.2s ease;
    }
  }
  @container (min-width: 768px) {
    .sidebar .drawer-only,
    .header .icon,
    .scrim {
      display: none;
    }
  }

  /* The main column. */
  .main {
    position: relative;
    flex: 1;
    min-width: 0;
    display: flex;
    flex-direction: column;
  }
  .header {
    display: flex;
    align-items: center;
    gap: 0.25rem;
    min-height: 52px;
    padding: 0.5rem 0.75rem;
    border-bottom: 1px solid var(--_border);
  }
  .header .title {
    flex: 1;
    min-width: 0;
    overflow: hidden;
    text-overflow: ellipsis;
    white-space: nowrap;
    padding-inline: 0.25rem;
  }
  .banner {
    margin: 0.5rem 0.75rem 0;
    padding: 0.5rem 0.75rem;
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_danger-bg);
    color: var(--_danger);
  }

  /* The composer. 16px text at least, so iOS does not zoom into it. */
  .composer {
    display: flex;
    align-items: flex-end;
    gap: 0.5rem;
    width: 100%;
    padding: 0.5rem max(0.75rem, (100% - var(--todo-chat-max-width, 760px)) / 2) 0.9rem;
  }
  textarea {
    flex: 1;
    min-width: 0;
    min-height: 46px;
    max-height: 12em;
    field-sizing: content;
    resize: none;
    padding: 0.65rem 1rem;
    font-size: max(16px, 1em);
    line-height: 1.4;
    border: 1px solid var(--_border);
    border-radius: var(--_radius);
    background: var(--_surface);
  }
  textarea:focus-visible {
    outline-offset: 0;
  }
  textarea::placeholder {
    color: var(--_muted);
  }
  .send {
    flex: none;
    display: grid;
    place-items: center;
    width: 46px;
    height: 46px;
    padding: 0;
    border-radius: 50%;
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
  }

  @media (prefers-reduced-motion: reduce) {
    *,
    *::before,
    *::after {
      animation: none !important;
      transition: none !important;
    }
  }
`;
