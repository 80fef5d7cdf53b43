import { html, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import { sendIcon } from './icons.js';
import type { TodoChatStrings } from './strings.js';

export interface ComposerView {
  strings: TodoChatStrings;
  draft: string;
  placeholder: string;
}

export interface ComposerActions {
  input(text: string): void;
  submit(): void;
}

/**
 * True for the Enter that should send: not with Shift (a newline), and never while an input method is
 * composing (Japanese, Chinese, Korean…), where Enter picks a candidate. Chromium and Safari report the
 * composing Enter as `isComposing` or as keyCode 229 depending on version, so both are checked.
 */
export function isSendKey(event: KeyboardEvent): boolean {
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

/** The message box and send button. The box stays enabled while an answer is on its way (SC-010). */
export function renderComposer(view: ComposerView, actions: ComposerActions): TemplateResult {
  const { strings } = view;
  const onKeyDown = (event: KeyboardEvent) => {
    if (!isSendKey(event)) return;
    event.preventDefault();
    actions.submit();
  };
  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    actions.submit();
  };
  return html`<form class="composer" part="composer" @submit=${onSubmit}>
    <textarea
      part="input"
      rows="1"
      maxlength="4000"
      enterkeyhint="send"
      aria-label=${strings.composerLabel}
      placeholder=${view.placeholder}
      .value=${live(view.draft)}
      @input=${(e: InputEvent) => actions.input((e.target as HTMLTextAreaElement).value)}
      @keydown=${onKeyDown}
    ></textarea>
    <button type="submit" class="send" part="send-button" aria-label=${strings.send} title=${strings.send} ?disabled=${!view.draft.trim()}>
      ${sendIcon}
    </button>
  </form>`;
}
