import { svg, type SVGTemplateResult } from 'lit';

/** Stroke icons (24×24, currentColor). Decorative: the buttons that hold them carry the label. */
const icon = (path: SVGTemplateResult): SVGTemplateResult =>
  svg`<svg viewBox="0 0 24 24" width="20" height="20" fill="none" stroke="currentColor" stroke-width="2"
    stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${path}</svg>`;

export const sendIcon = icon(svg`<path d="M12 19V5M5 12l7-7 7 7" />`);
export const plusIcon = icon(svg`<path d="M12 5v14M5 12h14" />`);
export const menuIcon = icon(svg`<path d="M4 6h16M4 12h16M4 18h16" />`);
export const closeIcon = icon(svg`<path d="M6 6l12 12M18 6L6 18" />`);
export const editIcon = icon(svg`<path d="M4 20h4L19 9l-4-4L4 16v4zM13.5 6.5l4 4" />`);
export const trashIcon = icon(svg`<path d="M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13" />`);
export const downIcon = icon(svg`<path d="M12 5v14M5 12l7 7 7-7" />`);
