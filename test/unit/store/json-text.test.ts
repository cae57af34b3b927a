// A connector file's text is written a slice of a large list at a time (no long stall of the host), and is
// exactly what JSON.stringify(value, null, 2) gives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { prettyJsonPieces, stringifyPretty } from '../../../server/store/json-text.js';

test('the text is JSON.stringify(value, null, 2), for small and large lists, nested, with odd values', async () => {
  const big = Array.from({ length: 5003 }, (_, n) => ({ id: n, name: `Товар "${n}"\n`, tags: n % 7 ? [] : ['a', { b: null }], skip: undefined }));
  const samples: unknown[] = [
    null,
    0,
    'text',
    [],
    {},
    { a: 1, b: [1, 2, { c: 'd' }], e: {} },
    big,
    { items: big, count: 5003, empty: [], nested: { list: big.slice(0, 2500), flag: true }, fn: undefined },
    { before: 'x', items: [1, 'two', null, ...Array.from({ length: 2100 }, (_, n) => n)] },
  ];
  for (const value of samples) assert.equal(await stringifyPretty(value), JSON.stringify(value, null, 2));
});

test('a 50,000-item list is written in slices, giving the event loop a turn between them', async () => {
  const items = Array.from({ length: 50_000 }, (_, n) => ({ id: n, barcode: String(4600000000000 + n), name: `Товар ${n}`, price: 100 + n, stock: 5 }));
  // other work queued meanwhile gets turns: counted, not timed
  let turns = 0;
  let writing = true;
  const other = () => {
    turns++;
    if (writing) setImmediate(other);
  };
  setImmediate(other);
  const text = await stringifyPretty({ items });
  writing = false;
  assert.equal(text, JSON.stringify({ items }, null, 2));
  assert.ok(turns >= 40, `other work got ${turns} turns while 50,000 items were written`);
});

test('a large list comes in pieces of one slice each (a checkpoint writes them as they come), small values in one', async () => {
  const items = Array.from({ length: 5_500 }, (_, n) => ({ id: n, name: `Товар ${n}` }));
  const pieces: string[] = [];
  for await (const piece of prettyJsonPieces({ items, count: 1 }, '\n')) pieces.push(piece);
  assert.equal(pieces.join(''), `${JSON.stringify({ items, count: 1 }, null, 2)}\n`);
  const slices = pieces.filter((piece) => piece.length > 1000);
  assert.equal(slices.length, 6, 'one piece per 1,000 items (and the rest)');
  assert.ok(Math.max(...pieces.map((piece) => piece.length)) < 60_000);
  const small: string[] = [];
  for await (const piece of prettyJsonPieces({ a: [1, 2] }, '\n')) small.push(piece);
  assert.deepEqual(small, [`${JSON.stringify({ a: [1, 2] }, null, 2)}\n`]);
});
