// The search texts page() keeps beside a stored list, in one UTF-8 buffer: the items' texts one after the
// other, each ended by a NUL byte, and where each starts. As an array of strings they took ~5 MB of V8's
// heap for a 50,000-product catalogue (a string header and an array slot per product, the barcode's digits two
// bytes each in a string that holds Cyrillic); here ~2 MB outside it, and a search is Buffer.indexOf over the
// buffer instead of an includes() per item.
//
// A needle's UTF-8 bytes are found in the buffer exactly where the needle is in a text (UTF-8 is
// self-synchronising: a match starts and ends on a character), never across two texts (the NUL between
// them). Texts with a lone surrogate are kept as U+FFFD, so a needle holding either, or NUL, is not searched
// here (byteSearchable): the caller compares it with each item's text.
/** Whether the buffer answers for `needle` exactly as includes() on each text would. */
export function byteSearchable(needle: string): boolean {
  // with the u flag a surrogate pair is one code point: only a lone surrogate is in the range
  return !/[\0\uFFFD\uD800-\uDFFF]/u.test(needle);
}

export class SearchTexts {
  private constructor(
    private readonly bytes: Buffer,
    /** starts[i]: where item i's text starts; starts[count]: the end */
    private readonly starts: Int32Array,
  ) {}

  get count(): number {
    return this.starts.length - 1;
  }

  static build(count: number, textOf: (position: number) => string): SearchTexts {
    const texts = Array.from({ length: count }, (_, position) => textOf(position));
    // one encoding of the joined texts, the starts found by their NULs; a text holding NUL itself is encoded apart
    if (!texts.some((text) => text.includes('\0'))) {
      const bytes = Buffer.from(texts.length === 0 ? '' : `${texts.join('\0')}\0`, 'utf8');
      const starts = new Int32Array(count + 1);
      for (let position = 1, at = -1; position <= count; position++) {
        at = bytes.indexOf(0, at + 1);
        starts[position] = at + 1;
      }
      return new SearchTexts(bytes, starts);
    }
    return SearchTexts.assemble(count, (position) => Buffer.from(`${texts[position]}\0`, 'utf8'));
  }

  /**
   * The texts of a new version of the list: the unchanged items' bytes copied, the changed ones' made again;
   * null when an item past the old end is not among the changed (its text is not known).
   */
  derive(count: number, changed: readonly number[], textOf: (position: number) => string): SearchTexts | null {
    const remade = [...new Set(changed)].filter((position) => position < count).sort((a, b) => a - b);
    const kept = Math.min(count, this.count);
    if (count - kept > remade.filter((position) => position >= kept).length) return null;
    const pieces: Buffer[] = [];
    const starts = new Int32Array(count + 1);
    let length = 0;
    let next = 0;
    // the unchanged items from `next` up to `end`, as one piece of the old buffer
    const copyUpTo = (end: number) => {
      if (end <= next) return;
      const from = this.starts[next];
      for (let position = next; position < end; position++) starts[position] = length + this.starts[position] - from;
      pieces.push(this.bytes.subarray(from, this.starts[end]));
      length += this.starts[end] - from;
    };
    for (const position of remade) {
      copyUpTo(Math.min(position, kept));
      const bytes = Buffer.from(`${textOf(position)}\0`, 'utf8');
      pieces.push(bytes);
      starts[position] = length;
      length += bytes.length;
      next = position + 1;
    }
    copyUpTo(kept);
    starts[count] = length;
    return new SearchTexts(Buffer.concat(pieces, length), starts);
  }

  /** Calls `found` with each position whose text holds `needle` (byteSearchable), ascending. */
  eachHolding(needle: string, found: (position: number) => void): void {
    const wanted = Buffer.from(needle, 'utf8');
    let position = 0;
    for (let at = this.bytes.indexOf(wanted); at !== -1; at = this.bytes.indexOf(wanted, this.starts[position + 1])) {
      position = this.positionAt(at, position);
      found(position);
    }
  }

  /** The item whose text holds byte `at` (at or after `from`). */
  private positionAt(at: number, from: number): number {
    let low = from;
    let high = this.count - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.starts[middle] <= at) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private static assemble(count: number, piece: (position: number) => Buffer): SearchTexts {
    const pieces: Buffer[] = new Array(count);
    const starts = new Int32Array(count + 1);
    let length = 0;
    for (let position = 0; position < count; position++) {
      pieces[position] = piece(position);
      starts[position] = length;
      length += pieces[position].length;
    }
    starts[count] = length;
    return new SearchTexts(Buffer.concat(pieces, length), starts);
  }
}
