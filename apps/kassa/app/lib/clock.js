'use strict';
// Dates as the till records them: the ISO instant, the local day (the key of "today's sales") and
// the text printed on receipts and reports. The dashboard template compares the day key with the
// same Intl formula (sv-SE formats dates as YYYY-MM-DD).
const dayFormat = new Intl.DateTimeFormat('sv-SE');
const printFormat = new Intl.DateTimeFormat('ru-RU', {
  day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit',
});

function stamp(date = new Date()) {
  return { at: date.toISOString(), day: dayFormat.format(date), text: printFormat.format(date) };
}

module.exports = { stamp };
