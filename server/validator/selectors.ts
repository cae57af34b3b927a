// Does a CSS selector (an atom-target) match any element of a set of templates? Only the rightmost
// compound selector is compared (tag, #id, .class, [attr]): if no element matches it, the whole
// selector matches nothing, which is all the check needs. Attribute values holding Mustache tags
// ({{id}}) match any text in their place.
import selectorParser from 'postcss-selector-parser';
import type { TemplateElement } from './templates.js';

interface Compound {
  tag?: string;
  ids: string[];
  classes: string[];
  attributes: Array<{ name: string; value?: string }>;
}

/** null when the text is not a selector. */
export function parseTarget(selector: string): Compound[] | null {
  const compounds: Compound[] = [];
  try {
    selectorParser((root) => {
      root.each((sel) => {
        const nodes = sel.nodes;
        let start = 0;
        nodes.forEach((node, index) => {
          if (node.type === 'combinator') start = index + 1;
        });
        const compound: Compound = { ids: [], classes: [], attributes: [] };
        for (const node of nodes.slice(start)) {
          if (node.type === 'tag') compound.tag = node.value.toLowerCase();
          else if (node.type === 'id') compound.ids.push(node.value);
          else if (node.type === 'class') compound.classes.push(node.value);
          else if (node.type === 'attribute') {
            compound.attributes.push({ name: node.attribute.toLowerCase(), value: node.operator === '=' ? node.value : undefined });
          }
        }
        compounds.push(compound);
      });
    }).processSync(selector);
  } catch {
    return null;
  }
  return compounds;
}

function valueMatches(actual: string, expected: string): boolean {
  if (!actual.includes('{{')) return actual === expected;
  const pattern = actual
    .split(/\{\{\{?[^}]*\}?\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`, 's').test(expected);
}

function elementMatches(element: TemplateElement, compound: Compound): boolean {
  if (compound.tag && compound.tag !== '*' && element.tag !== compound.tag) return false;
  for (const id of compound.ids) {
    const actual = element.attributes.get('id');
    if (actual === undefined || !valueMatches(actual, id)) return false;
  }
  if (compound.classes.length > 0) {
    const classText = element.attributes.get('class') ?? '';
    const dynamic = classText.includes('{{');
    const classes = classText.split(/\s+/);
    if (!dynamic && !compound.classes.every((c) => classes.includes(c))) return false;
  }
  for (const attribute of compound.attributes) {
    const actual = element.attributes.get(attribute.name);
    if (actual === undefined) return false;
    if (attribute.value !== undefined && !valueMatches(actual, attribute.value)) return false;
  }
  return true;
}

export function selectorMatchesAny(compounds: Compound[], elements: TemplateElement[]): boolean {
  return compounds.some((compound) => elements.some((element) => elementMatches(element, compound)));
}
