// <script atom-run> texts of a fragment run after its swap. The page's CSP allows only nonced
// scripts, so each runs as a fresh <script> carrying the nonce of the client's own script tag.

export function runScripts(texts: readonly unknown[] | undefined, nonce: string): void {
  if (!Array.isArray(texts)) return;
  for (const text of texts) {
    if (typeof text !== 'string' || text.trim() === '') continue;
    const script = document.createElement('script');
    if (nonce) script.nonce = nonce;
    script.textContent = text;
    document.body.appendChild(script);
    script.remove();
  }
}
