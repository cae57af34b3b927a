// Running atom-action requests: user triggers (with busy state, duplicate-click guard, Enter queue,
// debounce, atom-confirm, atom-reset), soft refreshes (coalesced) and server-pushed fragments, all
// swapped through one path with per-target ordering (compatibility.md D18).
import {
  CSRF_HEADER,
  SOCKET_ID_HEADER,
  type ActionFragment,
  type ErrorBody,
  type Redirect,
} from '../../protocol/wire.js';
import { ATTR, BUSY_CLASS, debounceMs, parseActionSpec, requiredEvent, type ActionSpec } from './attributes.js';
import { ActionQueues, queueOf } from './action-queue.js';
import { buildBody, formOf, withQuery, type RequestBody } from './body.js';
import { isTextField, type TextField } from './dom.js';
import { clearError, markInvalidFields, showError, showToast } from './feedback.js';
import { clearAfterSuccess } from './clear-after.js';
import type { SentField } from './focus.js';
import { TargetSequencer, type SwapKind } from './sequencer.js';
import { fragmentContent, swapContent } from './swap.js';
import { UI } from './ui-strings.js';
import { actionError, beforeRequest } from './lifecycle.js';

export interface ActionEnv {
  nonce: string;
  debug: boolean;
  socketId(): string | null;
  countAction(): void;
  redirect(target: Redirect): void;
  /** called after every swap or finished action (focus keeping) */
  afterChange(): void;
}

interface Prepared {
  el: Element;
  /** the button that submitted a form, marked busy with it */
  submitter: HTMLElement | null;
  spec: ActionSpec;
  body: RequestBody;
  kind: SwapKind;
  targetSelector: string | null;
  sent: SentField | null;
  /** atom-reset: the text fields cleared when the request left, given back if it fails */
  reset: Map<TextField, string> | null;
  /** atom-reset="always": the cleared text is not given back on failure (a scanner's refused code) */
  resetAlways: boolean;
}

interface ElementState {
  running: number;
  /** elements showing this element's busy state (it, and the buttons that submitted it) */
  marked: Set<Element>;
  enterQueue: Prepared[];
  debounceTimer?: number;
  refreshRunning: boolean;
  refreshQueued: boolean;
}

function isCheckable(el: Element): boolean {
  return el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
}

function isErrorBody(value: unknown): value is ErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as ErrorBody).message === 'string';
}

export class ActionRunner {
  private readonly states = new WeakMap<Element, ElementState>();
  private readonly sequencer = new TargetSequencer();
  private readonly queues = new ActionQueues();
  private enterPending = false;

  constructor(private readonly env: ActionEnv) {}

  private state(el: Element): ElementState {
    let state = this.states.get(el);
    if (!state) {
      state = { running: 0, marked: new Set(), enterQueue: [], refreshRunning: false, refreshQueued: false };
      this.states.set(el, state);
    }
    return state;
  }

  /** Keydown Enter: a submit in the same task is a keyboard submission (one request per Enter). */
  noteEnterKey(): void {
    this.enterPending = true;
    setTimeout(() => {
      this.enterPending = false;
    }, 0);
  }

  /** The delegated listener's handling of click/input/change/submit. */
  handleDomEvent(event: Event): void {
    if (!(event.target instanceof Element)) return;
    if ((event as InputEvent).isComposing) return;
    const el = event.target.closest(`[${ATTR.action}]`);
    if (!el || requiredEvent(el) !== event.type) return;
    if (event.type === 'submit' || (event.type === 'click' && !isCheckable(el))) event.preventDefault();
    const submitter = event.type === 'submit' ? (event as SubmitEvent).submitter : null;
    const viaEnter = event.type === 'submit' && this.enterPending;
    const delay = event.type === 'input' || event.type === 'change' ? debounceMs(el) : 0;
    if (delay > 0) {
      const state = this.state(el);
      if (state.debounceTimer !== undefined) clearTimeout(state.debounceTimer);
      state.debounceTimer = window.setTimeout(() => {
        state.debounceTimer = undefined;
        if (el.isConnected) this.trigger(el, submitter, event.type, false);
      }, delay);
      return;
    }
    this.trigger(el, submitter, event.type, viaEnter);
  }

  /** A field's own live action, at once (its pending debounce dropped): sent after whatever it queues behind. */
  private sendNow(field: Element): void {
    const state = this.state(field);
    if (state.debounceTimer !== undefined) clearTimeout(state.debounceTimer);
    state.debounceTimer = undefined;
    this.trigger(field, null, 'input', false);
  }

  private trigger(el: Element, submitter: HTMLElement | null, eventType: string, viaEnter: boolean): void {
    const state = this.state(el);
    if (state.running > 0) {
      if (viaEnter) {
        const queued = this.prepare(el, 'user', submitter);
        if (queued) state.enterQueue.push(queued);
        return;
      }
      // a second click (or button submit) while the first request runs is the same intent: a till
      // must not add or charge twice. Typing (input/change) is new intent and goes out.
      if (eventType === 'click' || eventType === 'submit') return;
    }
    const confirmText = el.getAttribute(ATTR.confirm);
    if (confirmText !== null && confirmText !== '' && !window.confirm(confirmText)) return;
    const prepared = this.prepare(el, 'user', submitter);
    if (prepared) void this.runUser(prepared);
  }

  private prepare(el: Element, kind: SwapKind, submitter: HTMLElement | null): Prepared | null {
    const spec = parseActionSpec(el.getAttribute(ATTR.action));
    if (!spec) return null;
    const body = buildBody(el, submitter);
    const form = formOf(el);
    const active = document.activeElement;
    const sent =
      isTextField(active) && (active === el || (form !== null && formOf(active) === form))
        ? { el: active, value: active.value }
        : null;
    let reset: Prepared['reset'] = null;
    let resetAlways = false;
    const resetForm = el.closest(`[${ATTR.reset}]`);
    if (kind === 'user' && resetForm instanceof HTMLFormElement) {
      // cleared as the request leaves (its values are in the body already), so a scanner's next code
      // never lands behind the previous one while the host is slow to answer
      reset = new Map<TextField, string>();
      resetAlways = resetForm.getAttribute(ATTR.reset)?.trim().toLowerCase() === 'always';
      for (const field of resetForm.elements) {
        if (isTextField(field) && field.value !== '') {
          reset.set(field, field.value);
          field.value = '';
        }
      }
    }
    return { el, submitter, spec, body, kind, targetSelector: el.getAttribute(ATTR.target), sent, reset, resetAlways };
  }

  private async runUser(prepared: Prepared): Promise<void> {
    const state = this.state(prepared.el);
    state.running += 1;
    for (const el of prepared.submitter ? [prepared.el, prepared.submitter] : [prepared.el]) {
      state.marked.add(el);
      el.setAttribute('aria-busy', 'true');
      el.classList.add(BUSY_CLASS);
    }
    try {
      const succeeded = await this.queues.run(queueOf(prepared.el), prepared.el, () => this.send(prepared));
      if (succeeded) clearAfterSuccess(prepared.el, (field) => this.sendNow(field));
      if (!succeeded && prepared.reset && !prepared.resetAlways) {
        // a failed action gives the cleared text back, unless something new was typed meanwhile
        for (const [field, value] of prepared.reset) if (field.isConnected && field.value === '') field.value = value;
      }
    } finally {
      state.running -= 1;
      if (state.running === 0) {
        for (const el of state.marked) {
          el.removeAttribute('aria-busy');
          el.classList.remove(BUSY_CLASS);
        }
        state.marked.clear();
        const next = state.enterQueue.shift();
        if (next) void this.runUser(next);
      }
      this.env.afterChange();
    }
  }

  /** Runs the element's atom-action as a soft refresh, whatever its atom-event (compatibility.md D17). */
  refresh(el: Element): void {
    const state = this.state(el);
    if (state.refreshRunning) {
      // a burst of events: at most one more refresh after the running one
      state.refreshQueued = true;
      return;
    }
    const prepared = this.prepare(el, 'refresh', null);
    if (!prepared) return;
    state.refreshRunning = true;
    void this.send(prepared).finally(() => {
      state.refreshRunning = false;
      if (state.refreshQueued) {
        state.refreshQueued = false;
        if (el.isConnected) this.refresh(el);
      }
    });
  }

  /** Refreshes every real-time component inside `target` (after a user result overtook a refresh). */
  refreshSubscribersIn(target: Element): void {
    const els = [target, ...target.querySelectorAll(`[${ATTR.socket}][${ATTR.action}]`)];
    for (const el of els) if (el.hasAttribute(ATTR.socket) && el.hasAttribute(ATTR.action)) this.refresh(el);
  }

  /** A fragment the server pushed with an event: swapped without a round trip. */
  applyPushed(targetSelector: string, fragment: ActionFragment): void {
    const ticket = this.sequencer.next();
    if (this.sequencer.admit(targetSelector, ticket, 'refresh') === 'drop') return;
    const target = document.querySelector(targetSelector);
    if (!target) return;
    swapContent(target, fragmentContent(fragment), { kind: 'refresh', cause: 'push', nonce: this.env.nonce });
    this.env.afterChange();
  }

  private errorSlot(el: Element): HTMLElement | null {
    const owner = el.closest(`[${ATTR.error}]`) ?? formOf(el)?.closest(`[${ATTR.error}]`) ?? null;
    const selector = owner?.getAttribute(ATTR.error);
    if (!selector) return null;
    try {
      const slot = document.querySelector(selector);
      return slot instanceof HTMLElement ? slot : null;
    } catch {
      return null;
    }
  }

  /** Sends and handles the answer; resolves whether the action succeeded. */
  private async send(prepared: Prepared): Promise<boolean> {
    const { spec, body } = prepared;
    const ticket = this.sequencer.next();
    const headers: Record<string, string> = { Accept: 'application/json' };
    const socketId = this.env.socketId();
    if (socketId) headers[SOCKET_ID_HEADER] = socketId;
    let url = spec.url;
    let payloadText: string | undefined;
    if (spec.method === 'GET' || spec.method === 'HEAD') {
      url = withQuery(url, body);
    } else {
      headers['Content-Type'] = 'application/json';
      payloadText = JSON.stringify(body);
    }
    // every action, GET ones too (a GET logout is still a state change), carries the page's CSRF token
    const csrf = document.querySelector('meta[name="csrf-token"]')?.getAttribute('content');
    if (csrf) headers[CSRF_HEADER] = csrf;
    // listeners may add headers or cancel; the client's own headers win over theirs
    const extra: Record<string, string> = {};
    if (!beforeRequest(prepared.el, { method: spec.method, url, body, kind: prepared.kind, headers: extra })) return false;
    const sentHeaders = new Headers(extra);
    for (const [name, value] of Object.entries(headers)) sentHeaders.set(name, value);
    if (this.env.debug) console.debug('[serverokey] action', spec.method, url, body);
    this.env.countAction();
    let response: Response;
    try {
      response = await fetch(url, { method: spec.method, credentials: 'same-origin', headers: sentHeaders, body: payloadText });
    } catch {
      return this.failed(prepared, url, { status: 0, message: UI.hostUnreachable });
    }
    let answer: Record<string, unknown>;
    try {
      const parsed: unknown = await response.json();
      answer = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    } catch {
      return this.failed(prepared, url, { status: response.status, message: UI.unreadableAnswer(response.status) });
    }
    if (this.env.debug) console.debug('[serverokey] answer', response.status, answer);
    return this.handleAnswer(prepared, ticket, response, answer, url);
  }

  /** Tells atom:error listeners and, unless one canceled it, shows the error; always false (failed). */
  private failed(prepared: Prepared, url: string, error: ErrorBody): false {
    if (actionError(prepared.el, { ...error, method: prepared.spec.method, url })) showError(error, this.errorSlot(prepared.el));
    return false;
  }

  private handleAnswer(prepared: Prepared, ticket: number, response: Response, answer: Record<string, unknown>, url: string): boolean {
    const slot = this.errorSlot(prepared.el);
    const redirect = answer.redirect as Redirect | undefined;
    if (!response.ok || answer.error !== undefined) {
      const error = isErrorBody(answer.error)
        ? answer.error
        : { status: response.status, message: UI.actionFailed(response.status) };
      this.failed(prepared, url, error);
      markInvalidFields(formOf(prepared.el), error.fields);
      if (redirect) this.env.redirect(redirect);
      return false;
    }
    clearError(slot);
    markInvalidFields(formOf(prepared.el), undefined);
    if (redirect) {
      this.env.redirect(redirect);
      return true;
    }
    if (typeof answer.html === 'string' && prepared.targetSelector) {
      const admission = this.sequencer.admit(prepared.targetSelector, ticket, prepared.kind);
      if (admission !== 'drop') {
        let target: Element | null = null;
        try {
          target = document.querySelector(prepared.targetSelector);
        } catch {
          target = null;
        }
        if (!target) {
          // an answer for a trigger that has left the page (its component was redrawn) is simply late
          if (prepared.el.isConnected) showToast(UI.targetMissing(prepared.targetSelector));
        } else {
          swapContent(target, fragmentContent(answer as unknown as ActionFragment), {
            kind: prepared.kind,
            cause: prepared.kind === 'user' ? 'action' : 'refresh',
            nonce: this.env.nonce,
            sent: prepared.sent,
          });
          if (admission === 'apply-then-refresh') this.refreshSubscribersIn(target);
        }
      }
    }
    this.env.afterChange();
    return true;
  }
}
