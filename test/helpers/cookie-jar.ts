// The cookies a test terminal (or a benchmark client) keeps between requests, and the CSRF token of the
// last page it loaded: what a browser would hold for the till.
export class CookieJar {
  readonly cookies = new Map<string, string>();
  csrf = '';

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** Takes Set-Cookie lines; an empty value or a past Max-Age removes the cookie. */
  keep(setCookieLines: Iterable<string>): void {
    for (const line of setCookieLines) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /max-age=(0|-)/i.test(a.trim()))) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** Remembers the page's CSRF token from its <meta name="csrf-token">. */
  keepCsrf(html: string): void {
    const meta = /<meta name="csrf-token" content="([^"]+)"/.exec(html);
    if (meta) this.csrf = meta[1];
  }
}
