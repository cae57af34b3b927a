// The action runner is a transaction: lock every connector the action may write (sorted, so no deadlock),
// read, run the steps on a working copy, then commit every written connector or none. Locks are released
// as soon as the new states are applied in memory (the next writer builds on them); the caller is answered
// once they are durable (group commit: concurrent actions share fsyncs), or refused, with nothing kept,
// when they cannot be.
import { lazyAppZod as z } from './app-zod.js';
import type { Redirect } from '../../protocol/wire.js';
import type { ActionRoute, Manifest, Step } from '../manifest/types.js';
import type { Change, CommitOrigin, Store } from '../store/types.js';
import { InvalidChangeError } from '../store/types.js';
import { ActionError } from './errors.js';
import type { ActionServices, RunState, Vars } from './context.js';
import { routePath } from './paths.js';
import { runSteps } from './run-steps.js';
import { collectWrites } from './reachable.js';

export interface Requester {
  /** the logged-in user as steps and templates see it (secrets removed), or null */
  user: Record<string, unknown> | null;
  userKey: string | null;
  terminal: { id: string; name: string } | null;
}

export interface ActionInput {
  routeKey: string;
  route: ActionRoute;
  body: unknown;
  query: Record<string, string>;
  requester: Requester;
  /**
   * Called once the action's changes are handed to the store, while they are being made durable: `durable`
   * resolves when they are (and rejects when the commit fails). The realtime hub prepares its event frames
   * here and sends them on `durable`, so subscribers are told as soon as the change is safe.
   */
  committing?(changes: Change[], durable: Promise<void>): void;
  /** the window that sent the action: other hosts of a shared store exclude its socket from the change's events */
  origin?: CommitOrigin;
}

export interface ActionOutcome {
  /**
   * true for an action without steps that writes nothing: it only reads, and vars.data holds the store's
   * own (frozen) states, so the same states give the same answer
   */
  readOnly: boolean;
  vars: Vars;
  redirect?: Redirect;
  login?: Record<string, unknown>;
  logout: boolean;
  changes: Change[];
}

export { collectWrites } from './reachable.js';

export class ActionRunner {
  private readonly writeSets = new Map<ActionRoute, string[]>();

  constructor(
    private readonly manifest: Manifest,
    private readonly store: Store,
    private readonly services: Omit<ActionServices, 'read'>,
  ) {}

  scopeKey(name: string, requester: Requester): string {
    const { scope } = this.store.info(name);
    if (scope === 'terminal') {
      if (!requester.terminal) throw new ActionError(400, `connector "${name}" is per terminal, but this request has no terminal identity`);
      return requester.terminal.id;
    }
    if (scope === 'user') {
      if (!requester.userKey) throw new ActionError(401, 'Войдите в систему, чтобы продолжить');
      return requester.userKey;
    }
    return 'global';
  }

  /**
   * The states a route reads: the last durable ones (a change still on its way to the disk may yet be
   * refused), except `locked`, the connectors the caller holds the lock of and writes: their latest state.
   * `shared`: for callers that only render them (views, actions without steps): the store's own frozen
   * states instead of copies.
   */
  async readFor(
    names: readonly string[],
    requester: Requester,
    options: { shared?: boolean; locked?: ReadonlySet<string> } = {},
  ): Promise<Record<string, unknown>> {
    const data: Record<string, unknown> = {};
    for (const name of names) {
      const scopeKey = this.scopeKey(name, requester);
      const latest = options.locked?.has(name) ?? false;
      data[name] =
        (options.shared && !latest ? this.store.peek(name, scopeKey) : undefined) ??
        (await this.store.read(name, scopeKey, { durable: !latest }));
    }
    return data;
  }

  private writesOf(route: ActionRoute): string[] {
    let writes = this.writeSets.get(route);
    if (!writes) {
      writes = [...collectWrites(this.manifest, route)];
      this.writeSets.set(route, writes);
    }
    return writes;
  }

  /** A refused commit (a value JSON cannot hold, e.g. NaN) changed nothing; say so instead of a bare crash. */
  private refused(error: unknown, routeKey: string): never {
    if (error instanceof InvalidChangeError) {
      throw new ActionError(500, `${routePath(routeKey)}: nothing was saved, because ${error.message}`, { step: routePath(routeKey), cause: error });
    }
    throw error;
  }

  async run(input: ActionInput): Promise<ActionOutcome> {
    const { route, requester } = input;
    const targets = this.writesOf(route).map((name) => ({ name, scopeKey: this.scopeKey(name, requester) }));
    const release = targets.length > 0 ? await this.store.lock(targets) : () => {};
    let durable: Promise<void> | undefined;
    let state: RunState;
    let changes: Change[] = [];
    let readOnly = false;
    try {
      // nothing can change what an action without steps reads: it is only rendered
      const onlyRenders = targets.length === 0 && !route.steps?.length;
      readOnly = onlyRenders;
      const locked = new Set(targets.map((target) => target.name));
      const data = await this.readFor(route.reads ?? [], requester, { shared: onlyRenders, locked });
      // the store commits only what it has loaded; connectors written but not read keep the original
      // semantics (steps build the new state from scratch), so they are loaded without being shown
      for (const target of targets) if (!Object.hasOwn(data, target.name)) await this.store.read(target.name, target.scopeKey);
      const vars: Vars = {
        data,
        user: requester.user ? structuredClone(requester.user) : null,
        body: input.body,
        query: input.query,
        context: {},
        terminal: requester.terminal,
        zod: z,
        require: this.services.require,
      };
      state = {
        vars,
        routeKey: input.routeKey,
        route,
        services: {
          ...this.services,
          read: (name) => this.store.read(name, this.scopeKey(name, requester), { durable: !locked.has(name) }),
        },
        interrupted: false,
        logout: false,
        writes: new Set(route.writes ?? []),
        depth: 0,
      };
      await runSteps((route.steps ?? []) as Step[], state, `${routePath(input.routeKey)}.steps`);
      changes = [];
      for (const name of state.writes) {
        const value = vars.data[name];
        if (value === undefined) continue;
        changes.push({ name, scopeKey: this.scopeKey(name, requester), state: value });
      }
      durable = changes.length > 0 ? this.store.commit(changes, { origin: input.origin }).catch((error) => this.refused(error, input.routeKey)) : undefined;
    } finally {
      release();
    }
    // after the locks are released: preparing the notifications never holds up the next writer
    if (durable && input.committing) {
      try {
        input.committing(changes, durable);
      } catch {
        // telling subscribers never fails the action (the hub reports its own failures)
      }
    }
    if (durable) await durable;
    return {
      readOnly,
      vars: state.vars,
      redirect: state.redirect,
      login: state.login,
      logout: state.logout,
      changes,
    };
  }
}
