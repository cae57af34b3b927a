// Scopes a component's stylesheet to its elements (compatibility.md D14), working on the CSS and selector ASTs:
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
  // parsed once, cloned for every selector that needs it
  const idTemplate = selectorParser().astSync(attributeText).first.first;
  const idNode = () => idTemplate.clone();
  const processor = selectorParser((selectors) => {
    selectors.each((selector) => scopeSelector(selector, idNode));
  });
  root.walkRules((rule) => {
    if (!isScopable(rule)) return;
    try {
      rule.selector = processor.processSync(rule.selector);
    } catch (error) {
      warn(`${file}: cannot scope selector "${rule.selector}" (${(error as Error).message}); the rule was dropped.`);
      rule.remove();
    }
  });
  return root.toString();
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
