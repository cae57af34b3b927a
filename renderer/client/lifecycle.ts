// The client's lifecycle events (CLIENT_EVENTS in protocol/wire.ts, documented in docs/ATTRIBUTES.md):
// extension points for apps (add a header, veto a request, show errors their own way, react to a swap or a
// channel event) and what tests wait on instead of waiting a fixed time.
import { CLIENT_EVENTS, type AfterSwapDetail, type BeforeRequestDetail, type ErrorDetail, type SocketEventDetail } from '../../protocol/wire.js';

/** Dispatches a bubbling event; returns false when a listener canceled it (only cancelable ones can be). */
function dispatch<T>(target: EventTarget, type: string, detail: T, cancelable: boolean): boolean {
  return target.dispatchEvent(new CustomEvent<T>(type, { bubbles: true, cancelable, detail }));
}

/** On a connected element, else on the document (its element left the page meanwhile). */
function onPage(el: Element | null): EventTarget {
  return el?.isConnected ? el : document;
}

/** false: a listener canceled the request. */
export function beforeRequest(el: Element, detail: BeforeRequestDetail): boolean {
  return dispatch(onPage(el), CLIENT_EVENTS.beforeRequest, detail, true);
}

export function afterSwap(target: Element, detail: AfterSwapDetail): void {
  dispatch(onPage(target), CLIENT_EVENTS.afterSwap, detail, false);
}

/** false: a listener showed the error itself (the client then does not). */
export function actionError(el: Element, detail: ErrorDetail): boolean {
  return dispatch(onPage(el), CLIENT_EVENTS.error, detail, true);
}

/** false: a listener handled the event itself (no refresh, no swap). */
export function socketEvent(detail: SocketEventDetail): boolean {
  return dispatch(document, CLIENT_EVENTS.socketEvent, detail, true);
}

/** atom:online / atom:offline on every change of the socket's state (the first connection counts). */
export function connectionWatcher(): (online: boolean) => void {
  let current: boolean | null = null;
  return (online) => {
    if (online === current) return;
    current = online;
    dispatch(document, online ? CLIENT_EVENTS.online : CLIENT_EVENTS.offline, {}, false);
  };
}
