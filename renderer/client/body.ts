// Request body assembly (compatibility.md §5.4, with its inconsistencies fixed; docs/ATTRIBUTES.md "Request body").

export type RequestBody = Record<string, unknown>;

/** The form an element belongs to: itself, its form owner (form="id"), or the nearest ancestor form. */
export function formOf(el: Element): HTMLFormElement | null {
  if (el instanceof HTMLFormElement) return el;
  const owner = (el as Partial<HTMLInputElement>).form;
  if (owner instanceof HTMLFormElement) return owner;
  return el.closest('form');
}

function isButtonType(el: Element | null | undefined): boolean {
  if (!(el instanceof HTMLButtonElement) && !(el instanceof HTMLInputElement)) return false;
  return el.type === 'submit' || el.type === 'button';
}

/** The element's own value as sent under its name, or undefined when it has none. */
export function ownValue(el: Element): string | undefined {
  if (el instanceof HTMLInputElement) {
    if (el.type === 'file') return undefined;
    // a checkbox or radio sends its value only while checked, and '' when unchecked, so a toggle
    // off is visible to the server (the original sent the value either way)
    if (el.type === 'checkbox' || el.type === 'radio') return el.checked ? el.value : '';
    return el.value;
  }
  if (
    el instanceof HTMLSelectElement ||
    el instanceof HTMLTextAreaElement ||
    el instanceof HTMLButtonElement ||
    el instanceof HTMLOutputElement
  ) {
    return el.value;
  }
  const attr = el.getAttribute('value');
  return attr === null ? undefined : attr;
}

/**
 * Fields of the nearest form (successful controls in document order, later duplicates win; empty
 * values only when the trigger is a submit/button control), then the submitter's and the trigger's
 * own name/value. File inputs are sent as {} (JSON carries no files).
 */
export function buildBody(el: Element, submitter?: HTMLElement | null): RequestBody {
  const body: RequestBody = {};
  const form = formOf(el);
  if (form) {
    const includeEmpty = isButtonType(el);
    let data: FormData;
    try {
      data = submitter ? new FormData(form, submitter) : new FormData(form);
    } catch {
      data = new FormData(form);
    }
    for (const [name, value] of data) {
      if (typeof value !== 'string') {
        body[name] = {};
        continue;
      }
      if (value !== '' || includeEmpty) body[name] = value;
    }
  }
  const name = el.getAttribute('name');
  if (name) {
    const value = ownValue(el);
    if (value !== undefined) body[name] = value;
  }
  return body;
}

/** For GET/HEAD actions the fields travel in the query string (steps see them as `query`). */
export function withQuery(url: string, body: RequestBody): string {
  const entries = Object.entries(body).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
  if (entries.length === 0) return url;
  const absolute = new URL(url, location.href);
  for (const [name, value] of entries) absolute.searchParams.set(name, value);
  return absolute.origin === location.origin ? absolute.pathname + absolute.search + absolute.hash : absolute.href;
}
