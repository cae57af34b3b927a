import assert from 'node:assert/strict';
import test from 'node:test';
import { closestName, didYouMean, levenshtein } from '../../../server/manifest/did-you-mean.js';

test('the examples of spec §9.4', () => {
  assert.equal(didYouMean('myComponant', ['header', 'myComponent']), 'Did you mean "myComponent"?');
  assert.equal(didYouMean('reciept', ['positions', 'receipt']), 'Did you mean "receipt"?');
  // distance 2 is not below the threshold max(2, floor(4 / 2)) = 2
  assert.equal(didYouMean('mian', ['main']), '');
});

test('the first candidate strictly closer than the threshold wins, and the threshold drops to it', () => {
  // both at distance 1: the first one in order stays the best
  assert.equal(closestName('cart', ['carts', 'card']), 'carts');
  // a later, closer candidate replaces an earlier one
  assert.equal(closestName('receipts', ['recipes', 'receipt']), 'receipt');
  assert.equal(closestName('x', []), undefined);
});

test('Levenshtein distance counts a swap of two letters as two edits', () => {
  assert.equal(levenshtein('lowdb', 'lowdb'), 0);
  assert.equal(levenshtein('lowbd', 'lowdb'), 2);
  assert.equal(levenshtein('', 'abc'), 3);
  assert.equal(levenshtein('kitten', 'sitting'), 3);
});
