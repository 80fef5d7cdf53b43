import { css } from 'lit';

/** The message log, Markdown inside replies, the empty state and the indicators around the log. */
export const messageStyles = css`
  /* Messages. The virtualizer positions .row elements absolutely inside .log. */
  .log {
    flex: 1 1 auto;
    min-height: 0;
    overflow-y: auto;
    overflow-x: hidden;
    overscroll-behavior: contain;
  }
  .row {
    display: flex;
    flex-direction: column;
    align-items: flex-start;
    width: 100%;
    padding: calc(var(--_space) * 0.4) max(1rem, (100% - var(--todo-chat-max-width, 760px)) / 2);
  }
  .row.user {
    align-items: flex-end;
  }
  .message {
    max-width: min(100%, 46em);
    overflow-wrap: anywhere;
  }
  .message.user {
    max-width: min(85%, 40em);
    padding: 0.5em 0.9em;
    border-radius: var(--_radius);
    border-end-end-radius: 4px;
    background: var(--_accent);
    color: var(--_accent-text);
  }
  .message.user.failed {
    opacity: 0.75;
  }
  .message.streaming .md > :last-child::after {
    content: '▍';
    margin-inline-start: 2px;
    animation: blink 1s steps(1) infinite;
  }
  .plain {
    margin: 0;
    white-space: pre-wrap;
  }
  .status,
  .failure {
    margin: 0.25rem 0 0;
    font-size: 0.85em;
    color: var(--_muted);
  }
  .failure {
    color: var(--_danger);
    text-align: end;
  }
  .tools {
    display: flex;
    flex-wrap: wrap;
    gap: 0.35rem;
    margin: 0 0 0.4rem;
    padding: 0;
    list-style: none;
  }
  .tool {
    font-size: 0.85em;
    padding: 0.15em 0.7em;
    border-radius: 999px;
    border: 1px solid var(--_border);
    background: var(--_surface);
  }
  .tool::before {
    content: '✓ ';
    color: var(--_accent);
  }
  .md > :first-child {
    margin-top: 0;
  }
  .md > :last-child {
    margin-bottom: 0;
  }
  .md p,
  .md ul,
  .md ol,
  .md pre,
  .md blockquote {
    margin: 0 0 0.6em;
  }
  .md ul,
  .md ol {
    padding-inline-start: 1.4em;
  }
  .md a {
    color: var(--_accent);
  }
  .md code {
    font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
    font-size: 0.9em;
    padding: 0.1em 0.3em;
    border-radius: 4px;
    background: var(--_surface);
  }
  .md pre {
    overflow-x: auto;
    padding: 0.75em;
    border-radius: calc(var(--_radius) * 0.7);
    background: var(--_surface);
    border: 1px solid var(--_border);
  }
  .md pre code {
    padding: 0;
    background: none;
  }
  .md blockquote {
    padding-inline-start: 0.8em;
    border-inline-start: 3px solid var(--_border);
    color: var(--_muted);
  }
  .md hr {
    border: 0;
    border-top: 1px solid var(--_border);
  }

  /* The empty state. */
  .empty {
    flex: 1;
    display: flex;
    flex-direction: column;
    align-items: center;
    justify-content: center;
    gap: 1.25rem;
    padding: 1.5rem;
    text-align: center;
    overflow-y: auto;
  }
  .greeting {
    margin: 0;
    max-width: 28em;
    font-size: 1.3em;
    font-weight: 600;
    line-height: 1.35;
  }
  .prompts {
    display: flex;
    flex-wrap: wrap;
    justify-content: center;
    gap: 0.5rem;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .prompt {
    border-radius: 999px;
    padding: 0.45em 1em;
    background: var(--_surface);
  }

  .new-messages {
    position: absolute;
    bottom: 5.5rem;
    left: 50%;
    transform: translateX(-50%);
    z-index: 1;
    display: flex;
    align-items: center;
    gap: 0.35rem;
    border-radius: 999px;
    background: var(--_accent);
    border-color: var(--_accent);
    color: var(--_accent-text);
    box-shadow: 0 2px 10px rgb(0 0 0 / 0.2);
  }
  .typing {
    display: flex;
    align-items: center;
    gap: 0.5rem;
    padding: 0.25rem max(1rem, (100% - var(--todo-chat-max-width, 760px)) / 2);
    font-size: 0.85em;
    color: var(--_muted);
  }
  .dots {
    display: inline-flex;
    gap: 3px;
  }
  .dots i {
    width: 6px;
    height: 6px;
    border-radius: 50%;
    background: currentColor;
    animation: bounce 1.2s infinite ease-in-out;
  }
  .dots i:nth-child(2) {
    animation-delay: 0.15s;
  }
  .dots i:nth-child(3) {
    animation-delay: 0.3s;
  }
  @keyframes bounce {
    0%, 80%, 100% { opacity: 0.3; transform: none; }
    40% { opacity: 1; transform: translateY(-3px); }
  }
  @keyframes blink {
    50% { opacity: 0; }
  }

`;
