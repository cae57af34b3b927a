// A pushed fragment may come without its CSS (stylesOnPage): the server leaves the component's stylesheet
// out because a page showing the component already has it. Such a fragment is swapped in only where the
// page has that style tag; elsewhere the listeners refresh instead, and the refresh answer brings the CSS.
import type { EventFrame } from '../../protocol/wire.js';

const ROOT_COMPONENT_ID = /\bdata-component-id="([^"]+)"/;

/** The component id of the fragment's first element (its root component instance). */
export function rootComponentId(html: string): string | null {
  return ROOT_COMPONENT_ID.exec(html)?.[1] ?? null;
}

/**
 * The frame as the page can use it: unchanged, or without its pushed fragment when the fragment's CSS was
 * left out and the page lacks the component's style tag (an instance "<base>-<n>" shares the tag of <base>).
 */
export function usableFrame(frame: EventFrame, hasStyleTag: (componentId: string) => boolean): EventFrame {
  if (!frame.html || frame.stylesOnPage !== true) return frame;
  const id = typeof frame.html.html === 'string' ? rootComponentId(frame.html.html) : null;
  if (id && (hasStyleTag(id) || hasStyleTag(id.replace(/-\d+$/, '')))) return frame;
  const { html: _unusable, stylesOnPage: _flag, ...withoutFragment } = frame;
  return withoutFragment;
}
