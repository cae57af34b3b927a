// A test's clean-ups in the order they must run: last registered first. `t.after` runs its hooks in the
// order they were given, so a folder registered for removal before the host that writes in it was started
// was removed while the host still wrote there (ENOTEMPTY on a busy machine). Every clean-up of a test
// given to onCleanup runs in one `t.after` hook, newest first: the host stops, then its folder goes.

export interface WithAfter {
  after(fn: () => unknown): void;
}

const stacks = new WeakMap<WithAfter, Array<() => unknown>>();

export function onCleanup(t: WithAfter, cleanup: () => unknown): void {
  let stack = stacks.get(t);
  if (!stack) {
    const created: Array<() => unknown> = [];
    stacks.set(t, created);
    t.after(async () => {
      while (created.length > 0) await created.pop()!();
    });
    stack = created;
  }
  stack.push(cleanup);
}
