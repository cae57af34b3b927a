// A logged-in till as the benchmarks' clients use it: its cookies (terminal, session) and the CSRF token
// from the page's meta tag. Plain data, so it can be handed to the load-generator processes.
import { CookieJar } from '../../test/helpers/cookie-jar.js';

export interface SessionInfo {
  url: string;
  cookie: string;
  csrf: string;
}

export class BenchClient extends CookieJar {
  constructor(readonly url: string) {
    super();
  }

  info(): SessionInfo {
    return { url: this.url, cookie: this.cookieHeader(), csrf: this.csrf };
  }

  async get(path: string): Promise<{ status: number; text: string }> {
    let target = path;
    for (let hops = 0; hops < 5; hops++) {
      const response = await fetch(this.url + target, { headers: { cookie: this.cookieHeader() }, redirect: 'manual' });
      this.keep(response.headers.getSetCookie());
      const text = await response.text();
      const location = response.headers.get('location');
      if (response.status >= 300 && response.status < 400 && location) {
        target = location.startsWith('http') ? new URL(location).pathname : location;
        continue;
      }
      this.keepCsrf(text);
      return { status: response.status, text };
    }
    throw new Error(`GET ${path}: too many redirects`);
  }

  async post(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(this.url + path, {
      method: 'POST',
      headers: {
        cookie: this.cookieHeader(),
        'content-type': 'application/json',
        accept: 'application/json',
        origin: this.url,
        'x-csrf-token': this.csrf,
        ...headers,
      },
      body: JSON.stringify(body),
      redirect: 'manual',
    });
    this.keep(response.headers.getSetCookie());
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed };
  }

  /** POST that must succeed (2xx without an error field); throws with the answer otherwise. */
  async must(path: string, body: unknown = {}): Promise<any> {
    const answer = await this.post(path, body);
    if (answer.status >= 300 || (answer.body && typeof answer.body === 'object' && answer.body.error)) {
      throw new Error(`POST ${path} ${JSON.stringify(body)} answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
    return answer.body;
  }
}

/** Headers an action request of this session carries (what the browser client sends). */
export function actionHeaders(session: SessionInfo, extra: Record<string, string> = {}): Record<string, string> {
  return {
    cookie: session.cookie,
    'content-type': 'application/json',
    accept: 'application/json',
    origin: session.url,
    'x-csrf-token': session.csrf,
    ...extra,
  };
}
