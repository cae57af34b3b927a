// The heap growing flag the host sets for itself (server/heap-tuning.ts): on by default, a flag the
// process was started with wins, and it can be turned off or changed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HEAP_GROWING_PERCENT, heapGrowingFlag } from '../../../server/heap-tuning.js';

test('the host grows its heap by half the live size unless told otherwise', () => {
  assert.equal(heapGrowingFlag({}, []), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  assert.equal(heapGrowingFlag({ SERVEROKEY_HEAP_GROWING: '30' }, []), '--heap-growing-percent=30');
  assert.equal(heapGrowingFlag({ SERVEROKEY_HEAP_GROWING: 'off' }, []), null);
  // nonsense falls back to the default rather than to a flag V8 would refuse
  assert.equal(heapGrowingFlag({ SERVEROKEY_HEAP_GROWING: '-5' }, []), `--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  // the command line or NODE_OPTIONS win
  assert.equal(heapGrowingFlag({}, ['--heap-growing-percent=80']), null);
  assert.equal(heapGrowingFlag({ NODE_OPTIONS: '--heap_growing_percent=20' }, []), null);
});
