// Replacing a container's inner HTML: focus/caret/typing kept (focus.ts), component styles added and
// orphans removed (styles.ts), atom-run scripts run (scripts.ts).
import type { ActionFragment, AfterSwapDetail, StyleEntry } from '../../protocol/wire.js';
import { COMPONENT_ID_ATTRIBUTE, componentIdsIn } from './dom.js';
import { captureFocus, restoreFocus, type SentField } from './focus.js';
import { removeOrphanStyles, upsertStyles } from './styles.js';
import { runScripts } from './scripts.js';
import type { SwapKind } from './sequencer.js';
import { afterSwap } from './lifecycle.js';

export interface SwapOptions {
  kind: SwapKind;
  /** told to atom:after-swap listeners */
  cause: AfterSwapDetail['cause'];
  nonce: string;
  sent?: SentField | null;
}

export interface SwapContent {
  html: string;
  /** SPA payloads carry style entries; action fragments one CSS string for their component */
  styles?: StyleEntry[];
  fragmentCss?: { componentName: string; css: string };
  scripts?: readonly unknown[];
}

export function swapContent(target: Element, content: SwapContent, options: SwapOptions): void {
  const formerIds = componentIdsIn(target);
  const snapshot = captureFocus(target, options.kind, options.sent);
  target.innerHTML = content.html;
  restoreFocus(target, snapshot);
  const entries: StyleEntry[] = [...(content.styles ?? [])];
  if (content.fragmentCss && content.fragmentCss.css) {
    const id = target.querySelector(`[${COMPONENT_ID_ATTRIBUTE}]`)?.getAttribute(COMPONENT_ID_ATTRIBUTE);
    if (id) entries.push({ name: content.fragmentCss.componentName, id, css: content.fragmentCss.css });
  }
  upsertStyles(entries, options.nonce);
  removeOrphanStyles(formerIds);
  runScripts(content.scripts, options.nonce);
  afterSwap(target, { cause: options.cause });
}

export function fragmentContent(fragment: ActionFragment): SwapContent {
  return {
    html: fragment.html,
    fragmentCss: typeof fragment.styles === 'string' ? { componentName: fragment.componentName, css: fragment.styles } : undefined,
    styles: Array.isArray(fragment.styles) ? (fragment.styles as StyleEntry[]) : undefined,
    scripts: fragment.scripts,
  };
}
