// SPA navigation (atom-link="spa"), redirects and history (compatibility.md §5.6–§5.8 with D19/D20 fixed):
// the first page is recorded with replaceState, navigations push, back/forward really re-render
// (the page is fetched again, so it shows current data), modified/middle clicks, other origins,
// target=_blank and downloads are left to the browser.
import { SPA_HEADER, SPA_HEADER_VALUE, type Redirect, type StyleEntry } from '../../protocol/wire.js';
import { ATTR } from './attributes.js';
import { showToast } from './feedback.js';
import { swapContent } from './swap.js';
import { UI } from './ui-strings.js';

export const PAGE_CONTAINER_ID = 'pageContent-container';

type Mode = 'push' | 'replace' | 'pop';

interface SpaState {
  spaUrl: string;
  scrollY?: number;
}

function isSpaState(value: unknown): value is SpaState {
  return typeof value === 'object' && value !== null && typeof (value as SpaState).spaUrl === 'string';
}

export interface SpaEnv {
  nonce: string;
  debug: boolean;
  afterChange(): void;
}

export class SpaNavigator {
  private navigation = 0;

  constructor(private readonly env: SpaEnv) {}

  install(): void {
    const state: SpaState = { ...(isSpaState(history.state) ? history.state : {}), spaUrl: location.href };
    history.replaceState(state, '', location.href);
    window.addEventListener('popstate', (event) => {
      if (isSpaState(event.state)) void this.navigate(location.href, 'pop', event.state.scrollY);
    });
  }

  /** Handles a click on an SPA link; returns whether it did. */
  handleClick(event: MouseEvent): boolean {
    if (event.defaultPrevented || event.button !== 0) return false;
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return false;
    if (!(event.target instanceof Element)) return false;
    const link = event.target.closest(`a[${ATTR.link}="spa"]`);
    if (!(link instanceof HTMLAnchorElement) || link.hasAttribute(ATTR.action)) return false;
    const target = link.getAttribute('target');
    if ((target && target !== '_self') || link.hasAttribute('download')) return false;
    const url = new URL(link.href, location.href);
    if (url.origin !== location.origin) return false;
    const here = new URL(location.href);
    if (url.hash && url.pathname === here.pathname && url.search === here.search) return false;
    event.preventDefault();
    void this.navigate(url.href, url.href === location.href ? 'replace' : 'push');
    return true;
  }

  /** string or {url} → SPA navigation (also to the current URL, which re-renders it); {full:true} → reload. */
  redirect(target: Redirect): void {
    const url = typeof target === 'string' ? target : target && typeof target === 'object' ? target.url : undefined;
    if (typeof url !== 'string' || url === '') return;
    const absolute = new URL(url, location.href);
    if ((typeof target === 'object' && target.full) || absolute.origin !== location.origin) {
      location.assign(absolute.href);
      return;
    }
    void this.navigate(absolute.href, absolute.href === location.href ? 'replace' : 'push');
  }

  private fullNavigation(url: string, mode: Mode): void {
    if (mode === 'pop') location.reload();
    else location.assign(url);
  }

  async navigate(url: string, mode: Mode, scrollY?: number): Promise<void> {
    const container = document.getElementById(PAGE_CONTAINER_ID);
    if (!container) {
      this.fullNavigation(url, mode);
      return;
    }
    const mine = ++this.navigation;
    if (this.env.debug) console.debug('[serverokey] spa', mode, url);
    let response: Response;
    try {
      response = await fetch(url, {
        credentials: 'same-origin',
        headers: { [SPA_HEADER]: SPA_HEADER_VALUE, Accept: 'application/json' },
      });
    } catch {
      if (mine === this.navigation) showToast(UI.hostUnreachable);
      return;
    }
    if (mine !== this.navigation) return;
    let payload: Record<string, unknown>;
    try {
      if (!response.ok) throw new Error(`status ${response.status}`);
      payload = (await response.json()) as Record<string, unknown>;
    } catch {
      // an error page or a non-SPA answer: let the browser show it
      this.fullNavigation(url, mode);
      return;
    }
    if (mine !== this.navigation) return;
    if (payload.redirect) {
      this.redirect(payload.redirect as Redirect);
      return;
    }
    const parts = payload.injectedParts as { pageContent?: unknown } | undefined;
    if (typeof parts?.pageContent !== 'string') {
      this.fullNavigation(url, mode);
      return;
    }
    const finalUrl = response.redirected ? response.url : url;
    if (mode === 'push') {
      history.replaceState({ ...(isSpaState(history.state) ? history.state : { spaUrl: location.href }), scrollY: window.scrollY }, '');
      history.pushState({ spaUrl: finalUrl } satisfies SpaState, '', finalUrl);
    } else if (mode === 'replace' || finalUrl !== location.href) {
      history.replaceState({ spaUrl: finalUrl } satisfies SpaState, '', finalUrl);
    }
    if (typeof payload.title === 'string' && payload.title !== '') document.title = payload.title;
    swapContent(
      container,
      {
        html: parts.pageContent,
        styles: Array.isArray(payload.styles) ? (payload.styles as StyleEntry[]) : [],
        scripts: Array.isArray(payload.scripts) ? payload.scripts : [],
      },
      { kind: 'user', cause: 'navigation', nonce: this.env.nonce },
    );
    if (mode === 'push') window.scrollTo(0, 0);
    else if (mode === 'pop') window.scrollTo(0, scrollY ?? 0);
    this.env.afterChange();
  }
}
