'use strict';
// Handlers see copy-on-write (Immer) drafts of the connectors their action reads and writes (README, "Large
// connectors cost what an action touches"). Reading every one of 50,000 drafted products costs a proxy per
// product; a handler that only reads a whole list (a CSV check) reads it as stored instead.
const { isDraft, original } = require('immer');

/** The list as stored (frozen, read-only) when `value` is a draft of it; `value` itself otherwise. */
function asStored(value) {
  return isDraft(value) ? original(value) : value;
}

module.exports = { asStored };
