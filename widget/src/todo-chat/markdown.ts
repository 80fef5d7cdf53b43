import { html, nothing, type TemplateResult } from 'lit';

/**
 * A small Markdown renderer for assistant replies that is safe by construction: it never produces HTML
 * strings. Every piece of message text ends up in a lit text binding (a DOM text node), so `<script>`,
 * `<img onerror>` and friends show as the characters they are. Links get an href only when it parses as an
 * absolute http(s) or mailto URL, and always open in a new tab with `rel="noopener noreferrer"`.
 *
 * Covered: paragraphs (single newlines are line breaks, as in chat), `#` headings (shown as bold lines, so
 * a reply cannot break the host page's heading outline), bullet and numbered lists (nested by indenting),
 * block quotes, fenced code blocks, rules, and inline code, bold, italic, strike-through, links, bare URLs.
 * Anything else is plain text, which is the safe failure mode. Hand-written because the usual pair
 * (marked + DOMPurify) alone would take most of the 30 KB budget of the script-tag build.
 */
export function renderMarkdown(source: string): TemplateResult {
  return html`${blocks(source.replace(/\r\n?/g, '\n').split('\n'))}`;
}

/** The text a screen reader should hear for a reply: the Markdown without its markers. */
export function plainText(source: string): string {
  return source
    .replace(/```[^\n]*\n?/g, '')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|~~|`)/g, '')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d{1,9}[.)])\s+/gm, '')
    .trim();
}

const FENCE = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)\s*$/;
const HEADING = /^ {0,3}#{1,6}\s+(.*?)\s*#*\s*$/;
const RULE = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
const QUOTE = /^ {0,3}>\s?(.*)$/;
const ITEM = /^( {0,3})([-*+]|(\d{1,9})[.)])\s+(.*)$/;

function startsBlock(line: string): boolean {
  return FENCE.test(line) || HEADING.test(line) || RULE.test(line) || QUOTE.test(line) || ITEM.test(line);
}

function blocks(lines: string[]): TemplateResult[] {
  const out: TemplateResult[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    let match: RegExpExecArray | null;
    if (!line.trim()) {
      i++;
    } else if ((match = FENCE.exec(line))) {
      const fence = match[1]!;
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) code.push(lines[i]!);
      i++; // the closing fence (or the end of a reply that was cut off mid-block)
      out.push(html`<pre class="md-code"><code data-lang=${match[2] || nothing}>${code.join('\n')}</code></pre>`);
    } else if ((match = HEADING.exec(line))) {
      out.push(html`<p class="md-heading"><strong>${inline(match[1]!)}</strong></p>`);
      i++;
    } else if (RULE.test(line)) {
      out.push(html`<hr />`);
      i++;
    } else if (QUOTE.test(line)) {
      const quoted: string[] = [];
      for (; i < lines.length && (match = QUOTE.exec(lines[i]!)); i++) quoted.push(match[1]!);
      out.push(html`<blockquote>${blocks(quoted)}</blockquote>`);
    } else if (ITEM.test(line)) {
      i = list(lines, i, out);
    } else {
      const text: string[] = [];
      for (; i < lines.length && lines[i]!.trim() && (text.length === 0 || !startsBlock(lines[i]!)); i++) {
        text.push(lines[i]!.trim());
      }
      out.push(html`<p>${text.map((t, n) => (n ? html`<br />${inline(t)}` : inline(t)))}</p>`);
    }
  }
  return out;
}

/** Reads one list starting at `start` into `out`; returns the index of the first line after it. */
function list(lines: string[], start: number, out: TemplateResult[]): number {
  const first = ITEM.exec(lines[start]!)!;
  const ordered = first[3] !== undefined;
  const items: string[][] = [];
  let i = start;
  while (i < lines.length) {
    const match = ITEM.exec(lines[i]!);
    if (match && (match[3] !== undefined) === ordered) {
      items.push([match[4]!]);
      i++;
    } else if (items.length && /^\s{2,}\S/.test(lines[i]!)) {
      // An indented line continues the current item (and may start a nested list).
      items.at(-1)!.push(lines[i]!.replace(/^\s{2,4}/, ''));
      i++;
    } else if (!lines[i]!.trim() && i + 1 < lines.length && /^\s{2,}\S/.test(lines[i + 1]!)) {
      i++;
    } else {
      break;
    }
  }
  const body = items.map((item) => {
    const parsed = blocks(item);
    // A one-paragraph item renders without its <p>, so tight lists stay tight.
    return parsed.length === 1 && item.length === 1 ? html`<li>${inline(item[0]!.trim())}</li>` : html`<li>${parsed}</li>`;
  });
  const from = Number(first[3] ?? 1);
  out.push(ordered ? html`<ol start=${from === 1 ? nothing : from}>${body}</ol>` : html`<ul>${body}</ul>`);
  return i;
}

// One alternation per inline construct; the earliest match wins, and the text between matches stays text.
const INLINE = new RegExp(
  [
    /(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/, // 1,2 code span
    /\*\*(?=\S)([\s\S]*?\S)\*\*/, // 3 bold
    /(?<!\w)__(?=\S)([\s\S]*?\S)__(?!\w)/, // 4 bold
    /~~(?=\S)([\s\S]*?\S)~~/, // 5 strike
    /\*(?=[^\s*])([\s\S]*?[^\s*])\*/, // 6 italic
    /(?<!\w)_(?=[^\s_])([\s\S]*?[^\s_])_(?!\w)/, // 7 italic
    /\[([^\]\n]+)\]\(\s*<?([^\s<>()]+)>?(?:\s+"[^"\n]*")?\s*\)/, // 8,9 link
    /\b((?:https?:\/\/|mailto:)[^\s<>]*[^\s<>.,:;"'!?)\]])/, // 10 bare URL
  ]
    .map((r) => r.source)
    .join('|'),
  'g',
);

function inline(text: string): Array<string | TemplateResult> {
  const out: Array<string | TemplateResult> = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[2] !== undefined) out.push(html`<code>${m[2].trim() || m[2]}</code>`);
    else if (m[3] !== undefined || m[4] !== undefined) out.push(html`<strong>${inline(m[3] ?? m[4]!)}</strong>`);
    else if (m[5] !== undefined) out.push(html`<s>${inline(m[5])}</s>`);
    else if (m[6] !== undefined || m[7] !== undefined) out.push(html`<em>${inline(m[6] ?? m[7]!)}</em>`);
    else if (m[8] !== undefined) out.push(link(m[9]!, inline(m[8])));
    else out.push(link(m[10]!, [m[10]!]));
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function link(href: string, label: Array<string | TemplateResult>): TemplateResult {
  const url = safeUrl(href);
  return url
    ? html`<a href=${url} target="_blank" rel="noopener noreferrer">${label}</a>`
    : html`<span class="md-link-blocked">${label}</span>`;
}

/** Absolute http(s) and mailto URLs only: `javascript:`, `data:`, relative and odd URLs stay plain text. */
export function safeUrl(href: string): string | undefined {
  try {
    const url = new URL(href);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : undefined;
  } catch {
    return undefined;
  }
}
