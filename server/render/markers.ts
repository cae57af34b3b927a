// Opaque markers stand for things that are filled in after a component's own template pass:
// placeholders (children render from their own templates, so data is never templated twice, D9)
// and extracted <script atom-run> elements. A marker is an HTML comment carrying a per-renderer
// random nonce, so rendered data cannot forge one. Filling is done by index splicing, never
// String.replace, so `$&` and friends in inserted HTML stay literal (D10).
import { randomBytes } from 'node:crypto';

export type MarkerKind = 'inject' | 'script';

export interface Marker {
  kind: MarkerKind;
  value: string;
}

export class Markers {
  private readonly prefix: string;

  constructor(nonce: string = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x')) {
    this.prefix = `serverokey:${nonce}:`;
  }

  /** The text of the marker comment node (without `<!--` and `-->`). */
  commentText(kind: MarkerKind, value: string): string {
    return `${this.prefix}${kind}:${encodeURIComponent(value)}`;
  }

  html(kind: MarkerKind, value: string): string {
    return `<!--${this.commentText(kind, value)}-->`;
  }

  /** Replaces every marker in `html` by what `fill` returns for it, in document order. */
  fill(html: string, fill: (marker: Marker) => string): string {
    const opening = `<!--${this.prefix}`;
    const parts: string[] = [];
    let cursor = 0;
    for (;;) {
      const start = html.indexOf(opening, cursor);
      if (start === -1) break;
      const bodyStart = start + opening.length;
      const end = html.indexOf('-->', bodyStart);
      if (end === -1) break;
      const body = html.slice(bodyStart, end);
      const colon = body.indexOf(':');
      const kind = body.slice(0, colon);
      parts.push(html.slice(cursor, start));
      if (colon > 0 && (kind === 'inject' || kind === 'script')) {
        parts.push(fill({ kind, value: decodeURIComponent(body.slice(colon + 1)) }));
      }
      cursor = end + 3;
    }
    parts.push(html.slice(cursor));
    return parts.join('');
  }
}
