// Answers of read-only actions (no steps, no writes: a soft refresh), kept for a moment. After a change,
// every window of a till refreshes the same component over the same stored states at once; each of them
// gets the JSON the first one was rendered into instead of rendering it again. An answer is reused only
// for the same route, page URL, terminal, CSRF token and the very same state objects (the store replaces
// a state on every commit, so a new state is a new object) and user record, and only for a short while,
// so a template that reads the clock is never behind by more than that.
const TTL_MS = 250;
const LIMIT = 64;

interface Entry {
  inputs: readonly unknown[];
  /** the answer as it goes on the wire (UTF-8 JSON) */
  body: Buffer;
  expires: number;
}

export class FragmentCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = () => performance.now()) {}

  get(key: string, inputs: readonly unknown[]): Buffer | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expires < this.now() || !sameInputs(entry.inputs, inputs)) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.body;
  }

  set(key: string, inputs: readonly unknown[], body: Buffer): void {
    if (this.entries.size >= LIMIT) this.entries.clear();
    this.entries.set(key, { inputs, body, expires: this.now() + TTL_MS });
  }
}

function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
