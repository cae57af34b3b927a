// The browser client's check on a pushed fragment sent without its CSS (stylesOnPage): swapped in only
// where the page has the component's style tag, otherwise dropped so the listeners refresh.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rootComponentId, usableFrame } from '../../../renderer/client/pushed-styles.js';
import type { EventFrame } from '../../../protocol/wire.js';

const fragment = (html: string, styles = '') => ({ html, styles, scripts: [], componentName: 'ticker' });
const onPage = (...ids: string[]) => (id: string) => ids.includes(id);

test('the root component id is the first data-component-id of the fragment', () => {
  assert.equal(rootComponentId('<p class="t" data-component-id="c-1a2b3c4d"><i data-component-id="c-99999999"></i></p>'), 'c-1a2b3c4d');
  assert.equal(rootComponentId('<p>no component</p>'), null);
});

test('a frame without the flag, or without a fragment, is used as it came', () => {
  const plain: EventFrame = { event: 'e', payload: 1, channel: 'ch', html: fragment('<p data-component-id="c-1">x</p>', 'p{}') };
  assert.equal(usableFrame(plain, onPage()), plain);
  const bare: EventFrame = { event: 'e', payload: 1, channel: 'ch', stylesOnPage: true };
  assert.equal(usableFrame(bare, onPage()), bare);
});

test('a fragment without its CSS is kept where the page has the component’s style tag (also for a later instance)', () => {
  const first: EventFrame = { event: 'e', payload: 1, channel: 'ch', html: fragment('<p data-component-id="c-1a2b3c4d">x</p>'), stylesOnPage: true };
  assert.equal(usableFrame(first, onPage('c-1a2b3c4d')), first);
  const second: EventFrame = { event: 'e', payload: 1, channel: 'ch', html: fragment('<p data-component-id="c-1a2b3c4d-2">x</p>'), stylesOnPage: true };
  assert.equal(usableFrame(second, onPage('c-1a2b3c4d')), second);
});

test('without the style tag (or a component id to look it up) the fragment is dropped and the rest kept', () => {
  const frame: EventFrame = { event: 'e', payload: { n: 1 }, channel: 'ch', html: fragment('<p data-component-id="c-1a2b3c4d">x</p>'), stylesOnPage: true };
  assert.deepEqual(usableFrame(frame, onPage('c-00000000')), { event: 'e', payload: { n: 1 }, channel: 'ch' });
  const anonymous: EventFrame = { event: 'e', payload: 2, channel: 'ch', html: fragment('<p>x</p>'), stylesOnPage: true };
  assert.deepEqual(usableFrame(anonymous, onPage('c-1a2b3c4d')), { event: 'e', payload: 2, channel: 'ch' });
});
