// Opaque markers stand for things that are filled in after a component's own template pass:
// placeholders (children render from their own templates, so data is never templated twice, compatibility.md D9),
// and <script atom-run> elements (extracted from fragments, kept in full pages). A marker is an HTML
// comment carrying a per-renderer random nonce, so rendered data cannot forge one. Filling is done by index splicing, never
// String.replace, so `$&` and friends in inserted HTML stay literal (compatibility.md D10).
import { randomBytes } from 'node:crypto';

export type MarkerKind = 'inject' | 'script' | 'run';
const KINDS: ReadonlySet<string> = new Set<MarkerKind>(['inject', 'script', 'run']);

export interface Marker {
  kind: MarkerKind;
  value: string;
}

/** A marker found in rendered output; kind null: one of ours of no known kind (dropped). */
export interface FoundMarker {
  kind: MarkerKind | null;
  value: string;
  start: number;
  end: number;
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

  /** Whether `text` holds any marker (a template without one needs no pass over its output). */
  occurIn(text: string): boolean {
    return text.includes(`<!--${this.prefix}`);
  }

  /** Every marker in `html`, in document order, with where it starts and ends. */
  *find(html: string): Generator<FoundMarker> {
    const opening = `<!--${this.prefix}`;
    let cursor = 0;
    for (;;) {
      const start = html.indexOf(opening, cursor);
      if (start === -1) return;
      const bodyStart = start + opening.length;
      const close = html.indexOf('-->', bodyStart);
      if (close === -1) return;
      const body = html.slice(bodyStart, close);
      const colon = body.indexOf(':');
      const kind = body.slice(0, colon);
      cursor = close + 3;
      // an unknown kind is dropped like a known one (it cannot come from data: the nonce is secret)
      if (colon > 0 && KINDS.has(kind)) yield { kind: kind as MarkerKind, value: decodeURIComponent(body.slice(colon + 1)), start, end: cursor };
      else yield { kind: null, value: '', start, end: cursor };
    }
  }

  /** Replaces every marker in `html` by what `fill` returns for it, in document order. */
  fill(html: string, fill: (marker: Marker) => string): string {
    const parts: string[] = [];
    let cursor = 0;
    for (const marker of this.find(html)) {
      parts.push(html.slice(cursor, marker.start));
      if (marker.kind !== null) parts.push(fill({ kind: marker.kind, value: marker.value }));
      cursor = marker.end;
    }
    parts.push(html.slice(cursor));
    return parts.join('');
  }
}
