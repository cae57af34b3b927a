// Full-page assembly: the collected component styles go before the first </head> (or at the end
// when the document has none), inserted by index so nothing in the HTML or CSS is interpreted.

import type { StyleEntry } from '../../protocol/wire.js';

export function styleTags(styles: StyleEntry[]): string {
  return styles
    .map((style) => `<style data-component-name="${escapeAttribute(style.name)}" id="style-for-${escapeAttribute(style.id)}">${style.css}</style>`)
    .join('\n');
}

/** Inserts `insertion` before the first `</head>` (any case), or appends it. */
export function insertBeforeHeadEnd(html: string, insertion: string): string {
  if (insertion === '') return html;
  const match = /<\/head\s*>/i.exec(html);
  if (!match) return html + insertion;
  return html.slice(0, match.index) + insertion + html.slice(match.index);
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

/** Debug mode (compatibility.md §4.8): the first <body> start tag gains data-debug-mode="true". */
export function markDebugBody(html: string): string {
  const match = /<body(?=[\s/>])/i.exec(html);
  if (!match) return html;
  const at = match.index + match[0].length;
  return `${html.slice(0, at)} data-debug-mode="true"${html.slice(at)}`;
}
