// Scopes a component's stylesheet to its elements (D14), working on the CSS and selector ASTs:
//  - a selector using :host has each :host replaced by the id attribute selector
//    (`:host:hover` → `[id]:hover`, `:host(.active) p` → `[id].active p`);
//  - any other selector is prefixed with the id selector and a descendant combinator
//    (`h3` → `[id] h3`), also `html`, `body` and `:root`: component CSS never styles the page
//    outside the component (in a layout, whose root element is <html>, write `:host` for it);
//  - rules inside @media/@supports/@layer/@container are scoped too; @keyframes steps,
//    @font-face, @page and nested rules (relative to an already scoped parent) are left alone.
// The id selector is `[data-component-id|="<base>"]`, which matches the base id and the
// "<base>-<n>" ids of further instances of the component in the same page.
import postcss, { type Rule } from 'postcss';
import selectorParser from 'postcss-selector-parser';
import { COMPONENT_ID_ATTRIBUTE } from './component-id.js';

export function scopeSelectorAttribute(baseId: string): string {
  return `[${COMPONENT_ID_ATTRIBUTE}|="${baseId}"]`;
}

export function scopeCss(css: string, baseId: string, file: string, warn: (message: string) => void): string {
  const root = postcss.parse(css, { from: file });
  const attributeText = scopeSelectorAttribute(baseId);
  const idNode = () => selectorParser().astSync(attributeText).first.first.clone();
  const processor = selectorParser((selectors) => {
    selectors.each((selector) => scopeSelector(selector, idNode));
  });
  root.walkRules((rule) => {
    if (!isScopable(rule)) return;
    const simple = scopeSimpleSelector(rule.selector, attributeText);
    if (simple !== null) {
      rule.selector = simple;
      return;
    }
    try {
      rule.selector = processor.processSync(rule.selector);
    } catch (error) {
      warn(`${file}: cannot scope selector "${rule.selector}" (${(error as Error).message}); the rule was dropped.`);
      rule.remove();
    }
  });
  return root.toString();
}

/**
 * The common case without the selector parser (which dominated start-up): a list of plain selectors
 * (tags, classes, ids, combinators, pseudo-classes without arguments) is scoped exactly as
 * scopeSelector does it: each one prefixed with the id and a space, its leading whitespace kept before
 * the id, or with every `:host` replaced by the id. Anything else (`:host(…)` and other parentheses,
 * attribute selectors, strings, escapes, comments, a selector that starts with a combinator) returns
 * null and goes through the parser.
 */
const SIMPLE_SELECTOR_LIST = /^[\w\s.#*,>+~:-]*$/;

const HOST = /:host(?![\w-])/gi;

export function scopeSimpleSelector(selectors: string, attributeText: string): string | null {
  if (!SIMPLE_SELECTOR_LIST.test(selectors)) return null;
  const parts = selectors.split(',');
  const scoped: string[] = [];
  for (const part of parts) {
    if (/:host/i.test(part)) {
      // :host (without an argument here) is replaced by the id selector where it stands
      if (/:host[\w-]/i.test(part.replace(HOST, ''))) return null;
      scoped.push(part.replace(HOST, attributeText));
      continue;
    }
    const leading = /^\s*/.exec(part)![0];
    const rest = part.slice(leading.length);
    if (rest.trim() === '' || /^[>+~]/.test(rest)) return null;
    scoped.push(`${leading}${attributeText} ${rest}`);
  }
  return scoped.join(',');
}

function isScopable(rule: Rule): boolean {
  for (let parent = rule.parent; parent && parent.type !== 'root'; parent = parent.parent) {
    if (parent.type === 'rule') return false;
    if (parent.type === 'atrule' && /keyframes$/i.test((parent as postcss.AtRule).name)) return false;
  }
  return true;
}

type SelectorNode = selectorParser.Node;

function scopeSelector(selector: selectorParser.Selector, idNode: () => SelectorNode): void {
  const hosts: selectorParser.Pseudo[] = [];
  selector.walkPseudos((pseudo) => {
    if (pseudo.value.toLowerCase() === ':host') hosts.push(pseudo);
  });
  if (hosts.length > 0) {
    for (const host of hosts) {
      if (host.nodes.length > 1) throw new Error(':host() takes a single compound selector');
      const inner = host.nodes[0]?.nodes.map((node) => node.clone()) ?? [];
      const id = idNode();
      id.spaces.before = host.spaces.before;
      host.replaceWith(id, ...inner);
    }
    return;
  }
  const first = selector.first;
  if (!first) return;
  const id = idNode();
  id.spaces.before = first.spaces.before;
  first.spaces.before = '';
  if (first.type === 'combinator') {
    // a relative selector such as "> li": the id takes the place of the missing subject
    selector.prepend(id);
    return;
  }
  selector.prepend(selectorParser.combinator({ value: ' ' }));
  selector.prepend(id);
}
