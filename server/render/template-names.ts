// Whether a component's template refers to a top-level name of the render context (`user`, `data`, …):
// through a Mustache tag ({{user.name}}, {{#user}}…{{/user}}, {{^user}}) or an atom-if expression
// (atom-if="user && user.role == 'admin'"). A pushed fragment whose template reads `user` is rendered once
// per user who receives it (push-render.ts); one that does not is rendered once for all of them.
// When unsure (a delimiter change, a template that cannot be scanned) the answer is yes: rendering once
// more per user is only slower, rendering with the wrong user would be wrong.
import { scanMustacheTags } from './mustache-tags.js';

function identifierPattern(name: string): RegExp {
  const escaped = name.replace(/[$]/g, '\\$&');
  // the name itself, not a property (`x.user`) and not part of a longer identifier (`username`)
  return new RegExp(`(^|[^.\\w$])${escaped}(?![\\w$])`);
}

export function templateRefersTo(text: string, expressions: readonly string[], name: string): boolean {
  const tags = scanMustacheTags(text);
  if (tags === null) return true;
  for (const tag of tags) {
    if (tag.type === '!' || tag.type === '/') continue;
    const tagName = tag.name.trim();
    if (tagName === name || tagName.startsWith(`${name}.`)) return true;
  }
  const identifier = identifierPattern(name);
  return expressions.some((expression) => identifier.test(expression));
}
