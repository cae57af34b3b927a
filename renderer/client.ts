// The Serverokey browser client, bundled to renderer/dist/engine-client.js and served at
// /engine-client.js on every full page. Its public API is the set of atom-* attributes documented in
// docs/ATTRIBUTES.md. It imports nothing from the server: protocol/wire.ts is the contract.
import { ACTION_EVENTS, ATTR } from './client/attributes.js';
import { ActionRunner } from './client/actions.js';
import { isTextField } from './client/dom.js';
import { createDebugHandle } from './client/debug-handle.js';
import { clearStaleFeedback, setHostProblem, setOffline, showDevErrors, showToast } from './client/feedback.js';
import { FocusKeeper } from './client/focus-keep.js';
import { handleHotkey } from './client/hotkey-listener.js';
import { RealtimeLink, type EventFrame } from './client/socket.js';
import { pushedAnswerFor } from './client/pushed-refresh.js';
import { watchSocketElements } from './client/socket-elements.js';
import { SpaNavigator } from './client/spa.js';
import { autoprintIfAsked, fillPrinterSelects, handlePrintClick } from './client/print.js';
import { watchReveal } from './client/reveal.js';
import { registerOfflinePage } from './client/offline-page.js';
import { handleArrowKey } from './client/arrow-nav.js';
import { handleItemKey } from './client/item-keys.js';
import { installTapKeys } from './client/tap-keys.js';
import { UI } from './client/ui-strings.js';
import { HOST_STATUS_META } from '../protocol/wire.js';
import { connectionWatcher, socketEvent } from './client/lifecycle.js';

// read while the script runs: document.currentScript is null afterwards
const nonce = (document.currentScript as HTMLScriptElement | null)?.nonce ?? '';

function start(): void {
  const debug = document.body?.hasAttribute('data-debug-mode') === true;
  const focusKeeper = new FocusKeeper();
  const afterChange = (): void => focusKeeper.schedule();

  let link: RealtimeLink | null = null;
  const handle = createDebugHandle({
    socketId: () => link?.id ?? null,
    connected: () => link?.connected ?? false,
    subscriptions: () => link?.subscriptions() ?? [],
  });
  window.__serverokey = handle;

  const spa = new SpaNavigator({ nonce, debug, afterChange });
  const connectionChanged = connectionWatcher();
  const actions = new ActionRunner({
    nonce,
    debug,
    socketId: () => link?.id ?? null,
    countAction: () => {
      handle.actions += 1;
    },
    redirect: (target) => spa.redirect(target),
    afterChange,
  });

  const onEvent = (frame: EventFrame): void => {
    const channel = typeof frame.channel === 'string' ? frame.channel : null;
    handle.recordEvent({ event: frame.event, channel });
    if (debug) console.debug('[serverokey] event', frame.event, channel);
    if (!socketEvent({ event: frame.event, channel: channel ?? '', payload: frame.payload, pushed: Boolean(frame.html) || Boolean(frame.refreshed?.length) })) return;
    const pushedTargets = new Set<string>();
    for (const el of document.querySelectorAll(`[${ATTR.onEvent}="${CSS.escape(frame.event)}"]`)) {
      const own = el.getAttribute(ATTR.socket);
      if (own !== null && channel !== null && own.trim() !== channel) continue;
      const target = el.getAttribute(ATTR.target);
      // the channel's emit.render fragment, else the answer the host rendered for this element's refresh
      const pushed =
        frame.html && typeof frame.html.html === 'string' ? frame.html : pushedAnswerFor(frame, el.getAttribute(ATTR.action), target);
      if (pushed && target) {
        if (!pushedTargets.has(target)) {
          pushedTargets.add(target);
          actions.applyPushed(target, pushed);
        }
        continue;
      }
      if (el.hasAttribute(ATTR.action)) actions.refresh(el);
    }
  };

  link = new RealtimeLink({
    debug,
    onEvent,
    onResync: () => {
      clearStaleFeedback();
      for (const el of document.querySelectorAll(`[${ATTR.socket}][${ATTR.action}]`)) actions.refresh(el);
    },
    onOnline: (online) => {
      setOffline(!online);
      connectionChanged(online);
    },
    onReload: () => location.reload(),
    onDevErrors: (errors) => showDevErrors(errors),
    onHostStatus: (ok, message) => setHostProblem(ok ? null : message),
    onServerError: (message) => showToast(UI.realtimeError(message)),
  });

  // one delegated listener for every atom-action event, and SPA links
  const onDomEvent = (event: Event): void => {
    if (event.type === 'click' && spa.handleClick(event as MouseEvent)) return;
    if (event.type === 'click' && handlePrintClick(event)) return;
    actions.handleDomEvent(event);
  };
  for (const type of ACTION_EVENTS) document.addEventListener(type, onDomEvent, true);
  document.addEventListener(
    'keydown',
    (event) => {
      // implicit submission comes from a text field; Enter on a focused button is a click
      if (event.key === 'Enter' && !event.isComposing && isTextField(event.target as Element | null)) actions.noteEnterKey();
      handleHotkey(event);
      // before the focus keeper routes a plain "+" or "-" to the home field
      handleItemKey(event);
    },
    true,
  );

  // bubble phase: a page's own key handlers come first
  document.addEventListener('keydown', handleArrowKey);
  spa.install();
  focusKeeper.install();
  installTapKeys();
  // the socket opens once the page has something to listen to (or the dev loop wants to reach it), so a
  // login page never shows "offline" for a socket it does not need
  const devMode = document.querySelector('meta[name="serverokey-dev"]') !== null;
  const hostProblem = document.querySelector(`meta[name="${HOST_STATUS_META}"]`)?.getAttribute('content');
  if (hostProblem) setHostProblem(hostProblem);
  let linkStarted = false;
  const startLink = (): void => {
    if (linkStarted || !link) return;
    linkStarted = true;
    link.start();
  };
  watchSocketElements((channels) => {
    link?.setDesired(channels);
    if (channels.size > 0) startLink();
  });
  if (devMode) startLink();
  watchReveal();
  registerOfflinePage(debug);
  autoprintIfAsked();
  fillPrinterSelects();
  new MutationObserver(() => fillPrinterSelects()).observe(document.body, { childList: true, subtree: true });
  if (debug) console.debug('[serverokey] client ready');
}

if (!window.__serverokey) {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start, { once: true });
  else start();
}
