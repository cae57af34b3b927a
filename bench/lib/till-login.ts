// How a till logs in and opens its shift, as plain data and functions of a BenchClient, so a client process
// (a device in its own network namespace) can do it without loading the app's manifest (profile.ts reads
// the plan from it).
import { BenchClient } from './session.js';

export interface LoginPlan {
  /** the app label, for errors */
  app: string;
  /** the app has POST /auth/register and may have no seeded cashier */
  register: boolean;
  /** POST path that opens a shift, when the app has shifts */
  shiftPath?: string;
}

/** The cashier kassir / 123 logged in on this client (registered first when the app lets and needs it). */
export async function loginTill(client: BenchClient, plan: LoginPlan): Promise<void> {
  await client.get('/login');
  let answer = await client.post('/auth/login', { login: 'kassir', password: '123' });
  const failed = () => typeof answer.body?.redirect === 'string' && answer.body.redirect.includes('error');
  if (failed() && plan.register) {
    await client.must('/auth/register', { name: 'Иванов И.И.', login: 'kassir', password: '123' });
    await client.get('/login');
    answer = await client.post('/auth/login', { login: 'kassir', password: '123' });
  }
  if (answer.status !== 200 || failed() || !client.cookies.size) {
    throw new Error(`${plan.app}: logging in as kassir/123 failed: ${answer.status} ${JSON.stringify(answer.body).slice(0, 200)}`);
  }
  const page = await client.get('/');
  if (page.status !== 200) throw new Error(`after login, GET / answered ${page.status}`);
}

/** Opens the till's shift when the app has shifts (one already open is fine). */
export async function openShift(client: BenchClient, plan: LoginPlan): Promise<void> {
  if (!plan.shiftPath) return;
  const answer = await client.post(plan.shiftPath, { float: '0' });
  const message = JSON.stringify(answer.body);
  if (answer.status >= 400 && !/уже открыта|already open/i.test(message)) {
    throw new Error(`opening a shift (${plan.shiftPath}) answered ${answer.status}: ${message.slice(0, 200)}`);
  }
}

/** The manager admin / admin logged in, with the dashboard page loaded (its CSRF token kept). */
export async function loginManager(client: BenchClient): Promise<void> {
  await client.get('/login');
  const login = await client.post('/auth/login', { login: 'admin', password: 'admin' });
  if (login.status !== 200) throw new Error(`manager login answered ${login.status}`);
  await client.get('/dashboard');
}

/**
 * A LAN device pairs with the host's code (LAN mode: an unpaired device gets nothing but /__pair): the
 * form's token, then the code and the device's name; the host answers with its terminal cookie.
 */
export async function pairDevice(client: BenchClient, code: string, name: string): Promise<void> {
  const form = await client.get('/__pair');
  const token = /name="_csrf" value="([^"]*)"/.exec(form.text)?.[1];
  if (form.status !== 200 || !token) throw new Error(`GET /__pair answered ${form.status} without a form token`);
  const response = await fetch(client.url + '/__pair', {
    method: 'POST',
    headers: { cookie: client.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', origin: client.url },
    body: new URLSearchParams({ _csrf: token, code, name }).toString(),
    redirect: 'manual',
  });
  client.keep(response.headers.getSetCookie());
  const text = await response.text();
  if (response.status !== 303 || !client.cookies.has('sok_terminal')) {
    throw new Error(`pairing answered ${response.status}: ${text.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').slice(0, 200)}`);
  }
}
