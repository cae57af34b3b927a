// Per-target ordering of responses (compatibility.md D18): a response never overwrites what a later-started request
// already put into the same target. Soft refreshes and server pushes ("refresh") never hide a user's
// own action result; when such a result lands over a newer refresh, the target is refreshed once
// more so it converges on the latest state.

export type SwapKind = 'user' | 'refresh';
export type Admission = 'apply' | 'apply-then-refresh' | 'drop';

interface Applied {
  user: number;
  any: number;
  anyKind: SwapKind;
}

export class TargetSequencer {
  private counter = 0;
  private readonly applied = new Map<string, Applied>();

  /** A ticket for a request about to be sent (monotonic, shared by all targets). */
  next(): number {
    return ++this.counter;
  }

  /** Decides whether the response with this ticket may be swapped into `target`, and records it. */
  admit(target: string, ticket: number, kind: SwapKind): Admission {
    const seen = this.applied.get(target) ?? { user: 0, any: 0, anyKind: 'refresh' as SwapKind };
    if (kind === 'refresh') {
      if (seen.any > ticket) return 'drop';
      this.applied.set(target, { user: seen.user, any: ticket, anyKind: 'refresh' });
      return 'apply';
    }
    if (seen.user > ticket) return 'drop';
    const overtookRefresh = seen.any > ticket && seen.anyKind === 'refresh';
    this.applied.set(target, { user: ticket, any: Math.max(seen.any, ticket), anyKind: overtookRefresh ? 'refresh' : 'user' });
    return overtookRefresh ? 'apply-then-refresh' : 'apply';
  }
}
