// The browser client's pure parts, checked in Node (no DOM needed): action specs, hotkeys,
// reconnect delays and per-target response ordering.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseActionSpec } from '../../renderer/client/attributes.js';
import { RECONNECT_CAP_MS, reconnectDelay } from '../../renderer/client/backoff.js';
import { firesWhileTyping, matchesHotkey, parseHotkey, type KeyEventLike } from '../../renderer/client/hotkeys.js';
import { TargetSequencer } from '../../renderer/client/sequencer.js';

test('atom-action text: method and URL, tolerant of spacing, a lone URL means POST', () => {
  assert.deepEqual(parseActionSpec('post /action/add'), { method: 'POST', url: '/action/add' });
  assert.deepEqual(parseActionSpec('  GET    /action/find  '), { method: 'GET', url: '/action/find' });
  assert.deepEqual(parseActionSpec('/action/add'), { method: 'POST', url: '/action/add' });
  assert.equal(parseActionSpec('   '), null);
  assert.equal(parseActionSpec(null), null);
});

function key(init: Partial<KeyEventLike> & { key: string }): KeyEventLike {
  return { code: '', ctrlKey: false, altKey: false, shiftKey: false, metaKey: false, ...init };
}

test('hotkeys: named keys, modifiers, aliases and physical letters on another layout', () => {
  const f9 = parseHotkey('F9')!;
  assert.equal(matchesHotkey(f9, key({ key: 'F9', code: 'F9' })), true);
  assert.equal(matchesHotkey(f9, key({ key: 'F9', code: 'F9', ctrlKey: true })), false);
  assert.equal(matchesHotkey(f9, key({ key: 'F9', code: 'F9', shiftKey: true })), false);

  const ctrlEnter = parseHotkey('Ctrl+Enter')!;
  assert.deepEqual(ctrlEnter, { key: 'enter', ctrl: true, alt: false, shift: false, meta: false });
  assert.equal(matchesHotkey(ctrlEnter, key({ key: 'Enter', ctrlKey: true })), true);
  assert.equal(matchesHotkey(ctrlEnter, key({ key: 'Enter' })), false);

  assert.equal(matchesHotkey(parseHotkey('Esc')!, key({ key: 'Escape' })), true);
  assert.deepEqual(parseHotkey('Ctrl++'), { key: '+', ctrl: true, alt: false, shift: false, meta: false });
  // Ctrl+K pressed on a Russian layout sends key "л" with code KeyK
  assert.equal(matchesHotkey(parseHotkey('Ctrl+K')!, key({ key: 'л', code: 'KeyK', ctrlKey: true })), true);
  assert.equal(parseHotkey('Hyper+K'), null);
  assert.equal(parseHotkey(''), null);
});

test('hotkeys that would eat typing do not fire inside text fields', () => {
  assert.equal(firesWhileTyping(parseHotkey('F9')!), true);
  assert.equal(firesWhileTyping(parseHotkey('Escape')!), true);
  assert.equal(firesWhileTyping(parseHotkey('Ctrl+Enter')!), true);
  assert.equal(firesWhileTyping(parseHotkey('Enter')!), false);
  assert.equal(firesWhileTyping(parseHotkey('k')!), false);
  assert.equal(firesWhileTyping(parseHotkey('ArrowUp')!), false);
});

test('reconnect delays: first retry fast, doubling, capped, jittered', () => {
  assert.ok(reconnectDelay(0, () => 0) >= 100 && reconnectDelay(0, () => 1) <= 250);
  assert.ok(reconnectDelay(1, () => 1) > reconnectDelay(0, () => 1));
  for (let attempt = 0; attempt < 40; attempt++) {
    assert.ok(reconnectDelay(attempt, () => 1) <= RECONNECT_CAP_MS);
  }
  assert.equal(reconnectDelay(30, () => 1), RECONNECT_CAP_MS);
  assert.equal(reconnectDelay(30, () => 0), RECONNECT_CAP_MS / 2);
});

test('per-target ordering: newer user results win, refreshes never hide a user result', () => {
  const order = new TargetSequencer();
  const older = order.next();
  const newer = order.next();
  assert.equal(order.admit('#list', newer, 'user'), 'apply');
  assert.equal(order.admit('#list', older, 'user'), 'drop');
  // other targets are independent
  assert.equal(order.admit('#other', older, 'user'), 'apply');

  const action = order.next();
  const refresh = order.next();
  assert.equal(order.admit('#cart', refresh, 'refresh'), 'apply');
  // the user's own result still lands, then the target is refreshed once more to converge
  assert.equal(order.admit('#cart', action, 'user'), 'apply-then-refresh');
  const staleRefresh = order.next();
  const laterAction = order.next();
  assert.equal(order.admit('#cart', laterAction, 'user'), 'apply');
  assert.equal(order.admit('#cart', staleRefresh, 'refresh'), 'drop');
});
