// The action runner is a transaction: lock every connector the action may write (sorted, so no deadlock),
// read, run the steps on a working copy, then commit every written connector or none. Locks are released
// as soon as the new states are applied in memory (the next writer builds on them); the caller is answered
// once they are durable (group commit: concurrent actions share fsyncs), or refused, with nothing kept,
// when they cannot be.
import { createDraft, current, finishDraft, isDraft, isDraftable } from 'immer';
import { markPrivateDraft } from '../store/item-index.js';
import { lazyAppZod as z } from './app-zod.js';
import type { Redirect } from '../../protocol/wire.js';
import type { ActionRoute, Manifest, Step, ViewRoute } from '../manifest/types.js';
import type { Change, CommitOrigin, Store } from '../store/types.js';
import { InvalidChangeError } from '../store/types.js';
import { ActionError } from './errors.js';
import type { ActionServices, ExpressionName, RunState, Vars } from './context.js';
import { routePath } from './paths.js';
import { runSteps } from './run-steps.js';
import { collectWrites } from './reachable.js';
import { addStoredView } from './stored.js';

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
  /** a view's steps (runView): SQL runs READ ONLY */
  view?: boolean;
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
  /** users whose logins end everywhere (auth:endSessions), by identity value */
  endSessions: string[];
  changes: Change[];
}

export { collectWrites } from './reachable.js';

export class ActionRunner {
  private readonly writeSets = new Map<ActionRoute, string[]>();
  /** each view route with steps as the read-only action the runner runs */
  private readonly viewActions = new WeakMap<ViewRoute, ActionRoute>();
  /** route and connector pairs already warned about (changes to a connector the route only reads) */
  private readonly warned = new Set<string>();

  constructor(
    private readonly manifest: Manifest,
    private readonly store: Store,
    private readonly services: Omit<ActionServices, 'read' | 'queryJournal'>,
  ) {}

  /**
   * Whose state of a connector a requester sees: 'global', its terminal's id or its user's key; null when
   * the connector is per terminal or per user and the requester has no terminal or no login.
   */
  scopeKeyOf(name: string, requester: Pick<Requester, 'terminal' | 'userKey'>): string | null {
    const { scope } = this.store.info(name);
    if (scope === 'terminal') return requester.terminal?.id ?? null;
    if (scope === 'user') return requester.userKey || null;
    return 'global';
  }

  /** scopeKeyOf, refusing the request (400 / 401) when it has no scope key for the connector. */
  scopeKey(name: string, requester: Requester): string {
    const key = this.scopeKeyOf(name, requester);
    if (key !== null) return key;
    if (this.store.info(name).scope === 'terminal') {
      throw new ActionError(400, `connector "${name}" is per terminal, but this request has no terminal identity`);
    }
    throw new ActionError(401, 'Войдите в систему, чтобы продолжить');
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
    await this.freshen(names, requester, options.locked);
    for (const name of names) {
      const scopeKey = this.scopeKey(name, requester);
      const latest = options.locked?.has(name) ?? false;
      data[name] =
        (options.shared && !latest ? this.store.peek(name, scopeKey) : undefined) ??
        (await this.store.read(name, scopeKey, { durable: !latest }));
    }
    return data;
  }

  /** The frozen states a route's steps start from: the latest of the locked connectors, the durable ones of the rest. */
  private async snapshotsFor(names: readonly string[], requester: Requester, locked: ReadonlySet<string>): Promise<Record<string, unknown>> {
    const data: Record<string, unknown> = {};
    await this.freshen(names, requester, locked);
    for (const name of names) data[name] = await this.store.snapshot(name, this.scopeKey(name, requester), { latest: locked.has(name) });
    return data;
  }

  /** On a store several hosts share: the states read without their lock, as up to date as the database (Store.freshen). */
  private async freshen(names: readonly string[], requester: Requester, locked?: ReadonlySet<string>): Promise<void> {
    if (!this.store.freshen) return;
    const targets = names.filter((name) => !locked?.has(name)).map((name) => ({ name, scopeKey: this.scopeKey(name, requester) }));
    if (targets.length > 0) await this.store.freshen(targets);
  }

  /**
   * Ends the steps' drafts: the new states (sharing what was not changed) for rendering and committing.
   * Results that may still point into a draft (the user an auth:login step found) are made plain first.
   */
  private finish(drafts: DraftedData, state: RunState): Record<string, unknown> {
    if (state.login && isDraft(state.login)) state.login = current(state.login);
    const { data, changedReadOnly } = drafts.finish();
    for (const name of changedReadOnly) {
      if (state.writes.has(name) || !this.services.debug) continue;
      const warning = `${state.routeKey}\u0000${name}`;
      if (this.warned.has(warning)) continue;
      this.warned.add(warning);
      this.services.log.warn(
        `${routePath(state.routeKey)} changed connector "${name}", which it only reads: the change is seen by its own ` +
          'steps and answer only, and is never saved (add it to writes to save it)',
      );
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

  /**
   * A view's read-only steps, with the query string: no connector is locked or written (the states are
   * private drafts, a change stays in the request), so `context` and `data` are only what the page renders.
   * A view whose steps could write (an action:run of an action that writes) or log in or out is refused;
   * the validator reports it before it runs.
   */
  async runView(routeKey: string, route: ViewRoute, query: Record<string, string>, requester: Requester): Promise<ActionOutcome> {
    let action = this.viewActions.get(route);
    if (!action) {
      action = { type: 'action', reads: route.reads ?? [], steps: route.steps ?? [] };
      this.viewActions.set(route, action);
    }
    const writes = this.writesOf(action);
    if (writes.length > 0) {
      throw new ActionError(500, `${routePath(routeKey)}: a view only reads, but its steps may write ${writes.join(', ')} (through action:run)`);
    }
    const outcome = await this.run({ routeKey, route: action, body: {}, query, requester, view: true });
    if (outcome.login || outcome.logout || outcome.endSessions.length > 0) {
      throw new ActionError(500, `${routePath(routeKey)}: a view cannot log in or out or end sessions (use an action route)`);
    }
    return outcome;
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
      // Copy-on-write: steps and handlers see drafts of the store's own frozen states; only what they
      // change is copied (one product of 50,000 costs one product), and untouched parts stay shared.
      const base = onlyRenders
        ? await this.readFor(route.reads ?? [], requester, { shared: true })
        : await this.snapshotsFor(route.reads ?? [], requester, locked);
      // the store commits only what it has loaded; connectors written but not read keep the original
      // semantics (steps build the new state from scratch), so they are loaded without being shown
      for (const target of targets) if (!Object.hasOwn(base, target.name)) await this.store.snapshot(target.name, target.scopeKey, { latest: true });
      const drafts = onlyRenders ? null : draftData(base, locked);
      const vars: Vars = {
        data: drafts ? drafts.data : base,
        user: requester.user ? structuredClone(requester.user) : null,
        body: input.body,
        query: input.query,
        context: {},
        terminal: requester.terminal,
        // a copy: a step cannot change the link's status the till shows
        chain: frozenCopy(this.services.chain?.() ?? null),
        zod: z,
        require: this.services.require,
      } satisfies Record<ExpressionName, unknown>;
      // handlers read a whole connector as stored, without its drafts (actions/stored.ts)
      addStoredView(vars);
      state = {
        vars,
        routeKey: input.routeKey,
        route,
        services: {
          ...this.services,
          read: (name) => this.store.read(name, this.scopeKey(name, requester), { durable: !locked.has(name) }),
          queryJournal: (name, query) => this.store.queryJournal(name, this.scopeKey(name, requester), query),
        },
        interrupted: false,
        logout: false,
        writes: new Set(route.writes ?? []),
        depth: 0,
        view: input.view,
      };
      await runSteps((route.steps ?? []) as Step[], state, `${routePath(input.routeKey)}.steps`);
      if (drafts) {
        // the answer renders `context` too: values pointing into the drafts finishing revokes are made plain
        vars.context = settleDrafts(vars.context) as Record<string, unknown>;
        vars.data = this.finish(drafts, state);
      }
      changes = [];
      for (const name of state.writes) {
        const value = vars.data[name];
        // unchanged (the same object): nothing to commit
        if (value === undefined || (!onlyRenders && value === base[name])) continue;
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
      endSessions: state.endSessions ?? [],
      changes,
    };
  }
}

/**
 * `value` with every draft inside it replaced by its current value (plain objects and arrays the steps
 * built are walked; frozen ones, the store's own states, cannot hold drafts).
 */
function settleDrafts(value: unknown, depth = 0): unknown {
  if (isDraft(value)) return current(value);
  if (value === null || typeof value !== 'object' || Object.isFrozen(value) || depth > 32) return value;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = settleDrafts(value[i], depth + 1);
    return value;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return value;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) record[key] = settleDrafts(record[key], depth + 1);
  return value;
}

interface DraftedData {
  /** what steps and handlers see as `data` */
  data: Record<string, unknown>;
  finish(): { data: Record<string, unknown>; changedReadOnly: string[] };
}

/**
 * `data` for an action's steps. The connectors it writes are one copy-on-write draft (so values can move
 * between them), finished into the new states to commit. Each connector it only reads is a private draft
 * of its own that is never finished: changes to it (a handler sorting a list for its own use) stay inside
 * the request, and an item looked up in a large list is drafted alone (item-index.ts), not the list.
 */
function draftData(base: Record<string, unknown>, writable: ReadonlySet<string>): DraftedData {
  const shared: Record<string, unknown> = {};
  for (const name of Object.keys(base)) if (writable.has(name)) shared[name] = base[name];
  const root = createDraft(shared) as Record<string, unknown>;
  const data: Record<string, unknown> = {};
  const privateDrafts = new Map<string, unknown>();
  for (const name of Object.keys(base)) {
    if (writable.has(name)) {
      Object.defineProperty(data, name, {
        enumerable: true,
        configurable: true,
        get: () => root[name],
        set: (value: unknown) => {
          root[name] = value;
        },
      });
      continue;
    }
    const value = base[name];
    const draft = isDraftable(value) ? createDraft(value as object) : value;
    if (draft !== value) {
      markPrivateDraft(draft);
      privateDrafts.set(name, draft);
    }
    data[name] = draft;
  }
  return {
    data,
    finish() {
      // values the steps put beside the connectors may point into the shared draft, which finishing revokes
      for (const name of Object.keys(data)) {
        if (Object.hasOwn(shared, name)) continue;
        const value = data[name];
        if (isDraft(value) && !privateDrafts.has(name)) data[name] = current(value);
      }
      const finished = finishDraft(root) as Record<string, unknown>;
      const result: Record<string, unknown> = {};
      const changedReadOnly: string[] = [];
      for (const name of Object.keys(data)) {
        if (Object.hasOwn(shared, name)) {
          result[name] = finished[name];
          continue;
        }
        const value = data[name];
        const draft = privateDrafts.get(name);
        if (draft !== undefined && value === draft) {
          const now = current(draft);
          if (now !== base[name]) changedReadOnly.push(name);
          result[name] = now;
        } else {
          if (Object.hasOwn(base, name)) changedReadOnly.push(name);
          result[name] = value;
        }
      }
      // connectors the steps created from scratch (written without being read)
      for (const name of Object.keys(finished)) if (!Object.hasOwn(result, name)) result[name] = finished[name];
      return { data: result, changedReadOnly };
    },
  };
}

function frozenCopy(value: unknown): unknown {
  return value !== null && typeof value === 'object' ? Object.freeze({ ...value }) : value;
}
