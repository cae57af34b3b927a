'use strict';
// The sales history's filters: from the query string (GET /history, the first visit shows today) or
// from the filter form (POST /action/history/search, context.fromBody). Sets context.form (what the form
// shows), context.where (what the journal:read step filters the sales journal by), context.page and
// context.listUrl (the list with these filters, for the way back from a sale). A day, an amount or a
// receipt number that cannot be read is refused beside its field; nothing is searched then.
const clock = require('../lib/clock.js');
const money = require('../lib/money.js');
const t = require('../../manifest/strings.js');

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const METHODS = Object.keys(t.history.methods);

function refuse(field, message) {
  throw Object.assign(new Error(message), { status: 422, fields: { [field]: message } });
}

module.exports = function historyFilters(context, body) {
  const vars = context.context;
  const source = (vars.fromBody ? body : context.query) || {};
  const text = (name, max) => String(source[name] ?? '').trim().slice(0, max);
  const form = {
    day: source.day === undefined ? clock.stamp().day : text('day', 10),
    terminal: text('terminal', 64),
    cashier: text('cashier', 32),
    method: METHODS.includes(text('method', 8)) ? text('method', 8) : '',
    min: text('min', 16),
    max: text('max', 16),
    number: text('number', 9),
  };
  if (form.day && !(DAY.test(form.day) && !Number.isNaN(Date.parse(`${form.day}T00:00:00Z`)))) refuse('day', t.history.errors.day);
  const amount = (name) => {
    if (form[name] === '') return undefined;
    const kopecks = money.parse(form[name]);
    if (kopecks === null) refuse(name, t.history.errors.amount);
    return kopecks;
  };
  const min = amount('min');
  const max = amount('max');
  if (form.number && !/^\d{1,9}$/.test(form.number)) refuse('number', t.history.errors.number);

  vars.form = form;
  vars.where = { ...form, number: form.number === '' ? undefined : Number(form.number), min, max };
  vars.page = Math.max(1, Number.parseInt(String(source.page ?? '1'), 10) || 1);
  const query = new URLSearchParams(Object.entries(form).filter(([key, value]) => value !== '' || key === 'day'));
  if (vars.page > 1) query.set('page', String(vars.page));
  vars.listUrl = `/history?${query}`;
};
