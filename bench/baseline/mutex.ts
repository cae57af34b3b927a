// One lock per key (a receipt): actions on the same receipt run their read-modify-write one at a time.
export class KeyedMutex {
  private readonly tails = new Map<string, Promise<void>>();

  async lock(key: string): Promise<() => void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const current = new Promise<void>((resolve) => (release = resolve));
    const tail = previous.then(() => current);
    this.tails.set(key, tail);
    await previous;
    return () => {
      release();
      if (this.tails.get(key) === tail) this.tails.delete(key);
    };
  }
}
