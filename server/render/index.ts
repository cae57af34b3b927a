// Server-side rendering of components (compatibility.md §4): layouts with nested placeholders, atom-if, stable
// component ids, scoped CSS, atom-run scripts, asJSON and debug comments. One render context is
// used on every path (compatibility.md §4.3). See the module files for each piece.
import path from 'node:path';
import type { ComponentConfig } from '../manifest/types.js';
import type { Logger } from '../log.js';
import { instanceId } from './component-id.js';
import { ComponentRegistry, unknownComponent } from './components.js';
import { appTitle, buildRenderContext, firstTitle } from './context.js';
import { debugComment } from './debug-comment.js';
import { RenderError } from './errors.js';
import { finishComponentHtml } from './html-fragment.js';
import { Markers } from './markers.js';
import { insertBeforeHeadEnd, markDebugBody, styleTags } from './page-assembly.js';
import { finishTemplateMarkup, type MarkupMarkers } from './template-markup.js';
import { ATOM_IF_SECTION_PREFIX, checkTemplateSyntax, prepareTemplate } from './template-prepare.js';
import { templateRefersTo } from './template-names.js';
import { COMPONENT_ID_VARIABLE, TemplateWriter, type Condition } from './template-writer.js';
import type { SpaResponse, StyleEntry } from '../../protocol/wire.js';

export { RenderError } from './errors.js';
export { safeJson } from './safe-json.js';

export interface RenderInput {
  data: Record<string, unknown>;
  user: Record<string, unknown> | null; // already stripped of secrets by the caller
  url: { pathname: string; query: Record<string, string> };
  /** what the route's steps computed (a view's read-only steps, an action's steps); {} when none ran */
  context?: Record<string, unknown>;
  extra?: Record<string, unknown>; // e.g. { terminal: {...}, csrfToken } merged into the view
}
/** styles: each component's stylesheet, in the one shape pages, SPA answers and the client use (protocol/wire.ts) */
export interface Rendered {
  html: string;
  styles: StyleEntry[];
  scripts: string[];
}
export interface Renderer {
  /** full page of a view route: layout + inject, styles placed before </head> (or appended) */
  renderPage(route: { layout: string; inject?: Record<string, string> }, input: RenderInput): string;
  /** SPA payload: renders inject.pageContent with the route's inject map */
  renderSpa(
    route: { layout: string; inject?: Record<string, string>; title?: string },
    input: RenderInput,
  ): SpaResponse;
  /** action update: one component (inject map optional; the original used an empty one) */
  renderComponent(name: string, input: RenderInput, inject?: Record<string, string>): Rendered;
  /** drop cached files (dev mode reload) */
  invalidate(): void;
  /**
   * Whether the component's own template refers to a top-level name of the render context (`user`):
   * by a Mustache tag or an atom-if expression (template-names.ts); true when that cannot be told.
   */
  templateRefersTo(component: string, name: string): boolean;
}

/** Introspection for tests and diagnostics. */
export interface RendererDiagnostics {
  /** parsed templates held by the renderer's Mustache writer (bounded by the number of files) */
  templateCacheSize(): number;
}

/** A renderer that prepares components on first use can prepare them ahead of need. */
export interface RendererWarmUp {
  /**
   * Prepares the named components (unknown ones are skipped) that are not prepared yet, one per turn of
   * the event loop so requests are not held up; a component that fails is logged (its first render
   * reports the same error). Stops early when `stop()` answers true.
   */
  prepare(names: string[], stop?: () => boolean): Promise<void>;
  /** prepare() for every component not prepared yet */
  prepareRemaining(stop?: () => boolean): Promise<void>;
}

export interface RendererOptions {
  appDir: string;
  components: Record<string, ComponentConfig>;
  globals?: Record<string, unknown>;
  windowTitle?: string;
  debug?: boolean;
  log?: Logger;
  /**
   * When components are prepared (atom-if and atom-inject rewritten, markup finished, CSS scoped):
   * 'at-start' (default) by createRenderer, so any broken template fails it; 'on-first-use' when first
   * rendered, createRenderer only reading the files and checking the templates' Mustache syntax.
   */
  prepare?: 'at-start' | 'on-first-use';
}

/** Placeholders nested deeper than this are reported as an error (a cycle is reported earlier). */
export const MAX_INJECT_DEPTH = 32;
const PAGE_CONTENT = 'pageContent';

interface RenderPass {
  context: Record<string, unknown>;
  input: RenderInput;
  inject: Record<string, string>;
  extractScripts: boolean;
  instances: Map<string, number>;
  styles: StyleEntry[];
  styled: Set<string>;
  scripts: string[];
}

const consoleLogger: Logger = {
  info: (message) => console.log(message),
  warn: (message) => console.warn(message),
  error: (message) => console.error(message),
};

export function createRenderer(options: RendererOptions): Renderer & RendererDiagnostics & RendererWarmUp {
  const log = options.log ?? consoleLogger;
  const debug = options.debug === true;
  const globals = options.globals ?? {};
  const title = appTitle(options.windowTitle, globals);
  const markers = new Markers();
  const markupMarkers: MarkupMarkers = {
    id: `{{{${COMPONENT_ID_VARIABLE}}}}`,
    runOpen: markers.html('run', 'open'),
    runBody: markers.html('run', 'body'),
    runEnd: markers.html('run', 'end'),
    runClose: markers.html('run', 'close'),
  };
  let sectionCounter = 0;

  const onConditionFailure = (condition: Condition, error: unknown) => {
    // compile errors were reported once when the template was loaded
    if (!debug || condition.compileError !== undefined) return;
    log.warn(
      `atom-if="${condition.expression}" in ${condition.file} (component "${condition.component}") ` +
        `failed: ${(error as Error)?.message ?? String(error)}; the element was removed.`,
    );
  };
  let writer = new TemplateWriter(onConditionFailure);

  const registry = new ComponentRegistry({
    componentsDir: path.resolve(options.appDir, 'app', 'components'),
    components: options.components,
    warn: (message) => log.warn(message),
    prepare(raw, file, component) {
      const prepared = prepareTemplate(raw, {
        file,
        nextSectionName: () => `${ATOM_IF_SECTION_PREFIX}${sectionCounter++}`,
        placeholderMarker: (name) => markers.html('inject', name),
      });
      const finished = finishTemplateMarkup(prepared.text, markupMarkers);
      if (finished !== null) {
        prepared.text = finished;
        prepared.markupFinished = true;
        prepared.hasMarkers = markers.occurIn(finished);
      }
      for (const source of prepared.conditions) {
        const condition = writer.addCondition({ ...source, file, component });
        if (condition.compileError) {
          const hint = source.expression.includes('{{')
            ? ' Mustache tags are not evaluated inside atom-if: name the value directly (atom-if="data.count > 0").'
            : '';
          log.warn(
            `atom-if="${source.expression}" in ${file} is not a valid expression ` +
              `(${(condition.compileError as Error)?.message ?? String(condition.compileError)}); ` +
              `the element is never rendered.${hint}`,
          );
        }
      }
      try {
        writer.parse(prepared.text); // parse now (and cache): a broken template fails at start-up
      } catch (error) {
        throw new RenderError(
          `${file}: Mustache error after preparing atom-if/atom-inject (${(error as Error).message}). ` +
            'An element with atom-if must not cross a {{#section}} boundary.',
          { cause: error },
        );
      }
      return prepared;
    },
    check: checkTemplateSyntax,
  });
  if (options.prepare === 'on-first-use') registry.readAll();
  else registry.loadAll();

  const referredNames = new WeakMap<object, Map<string, boolean>>();

  function newPass(input: RenderInput, inject: Record<string, string> | undefined, extractScripts: boolean): RenderPass {
    return {
      context: buildRenderContext(input, globals, title),
      input,
      inject: inject ?? {},
      extractScripts,
      instances: new Map(),
      styles: [],
      styled: new Set(),
      scripts: [],
    };
  }

  /** Renders one component instance and, recursively, the placeholders in it. */
  function renderInstance(name: string, pass: RenderPass, chain: string[]): string {
    if (!registry.has(name)) throw unknownComponent(name, registry.names());
    const component = registry.get(name);
    const count = (pass.instances.get(name) ?? 0) + 1;
    pass.instances.set(name, count);
    const id = instanceId(component.baseId, count);

    if (component.css !== '' && !pass.styled.has(name)) {
      pass.styled.add(name);
      pass.styles.push({ name, id: component.baseId, css: component.css });
    }

    writer.componentId = id;
    const own = writer.render(component.template.text, pass.context);
    const renderChild = (placeholder: string): string => {
      const child = Object.hasOwn(pass.inject, placeholder) ? pass.inject[placeholder] : undefined;
      if (child === undefined || child === '') {
        if (debug) {
          log.warn(
            `Placeholder "${placeholder}" in component "${name}" (${component.templatePath}) has no entry ` +
              "in the route's inject map; it renders nothing.",
          );
        }
        return '';
      }
      const childChain = [...chain, `[${placeholder}]`, child];
      if (chain.includes(child)) {
        throw new RenderError(
          `Placeholder cycle: ${describeChain(childChain)}. A component cannot be injected inside itself; ` +
            "change the route's inject map.",
        );
      }
      if (childChain.length > MAX_INJECT_DEPTH * 2 + 1) {
        throw new RenderError(`Placeholders nested deeper than ${MAX_INJECT_DEPTH} levels: ${describeChain(childChain)}.`);
      }
      return renderInstance(child, pass, childChain);
    };
    const { markupFinished, hasMarkers } = component.template;
    const html = !markupFinished ? finishPerRender(own, id, pass, renderChild) : hasMarkers ? fillFinished(own, pass, renderChild) : own;

    if (!debug) return html;
    return (
      debugComment({ component: name, id, data: pass.context.data, user: pass.context.user, url: pass.context.url }) +
      html
    );
  }

  /** Output of a template whose markup was finished when it was prepared: fill its markers by index. */
  function fillFinished(own: string, pass: RenderPass, renderChild: (placeholder: string) => string): string {
    const parts: string[] = [];
    let cursor = 0;
    let inScript = false;
    let scriptBody = 0;
    for (const marker of markers.find(own)) {
      if (!inScript) parts.push(own.slice(cursor, marker.start));
      cursor = marker.end;
      if (marker.kind === 'inject') parts.push(renderChild(marker.value));
      else if (marker.kind === 'run' && pass.extractScripts) {
        // fragments take <script atom-run> out and hand its text over; full pages keep it in place
        if (marker.value === 'open') inScript = true;
        else if (marker.value === 'body') scriptBody = marker.end;
        else if (marker.value === 'end') pass.scripts.push(own.slice(scriptBody, marker.start));
        else if (marker.value === 'close') inScript = false;
      }
    }
    if (!inScript) parts.push(own.slice(cursor));
    return parts.join('');
  }

  /** Output of a template that could not be finished in advance: the DOM pass runs on every render. */
  function finishPerRender(own: string, id: string, pass: RenderPass, renderChild: (placeholder: string) => string): string {
    const finished = finishComponentHtml(own, {
      id,
      extractScripts: pass.extractScripts,
      scriptMarker: (index) => markers.commentText('script', String(index)),
    });
    return markers.fill(finished.html, (marker) => {
      if (marker.kind === 'script') {
        pass.scripts.push(finished.scripts[Number(marker.value)] ?? '');
        return '';
      }
      return marker.kind === 'inject' ? renderChild(marker.value) : '';
    });
  }

  async function prepare(names: string[], stop = () => false): Promise<void> {
    for (const name of names) {
      if (!registry.has(name) || registry.isPrepared(name)) continue;
      await new Promise((resolve) => setImmediate(resolve));
      if (stop()) return;
      try {
        registry.get(name);
      } catch (error) {
        log.error(`component "${name}" cannot be rendered: ${(error as Error).message}`);
      }
    }
  }

  return {
    renderPage(route, input) {
      const pass = newPass(input, route.inject, false);
      const html = insertBeforeHeadEnd(renderInstance(route.layout, pass, [route.layout]), styleTags(pass.styles));
      return debug ? markDebugBody(html) : html;
    },

    renderSpa(route, input) {
      const page = route.inject?.[PAGE_CONTENT];
      if (!page) {
        throw new RenderError(
          `This view route (layout "${route.layout}") injects nothing at "${PAGE_CONTENT}", so it has no SPA payload. ` +
            `Add inject.${PAGE_CONTENT}, or load the page in full.`,
        );
      }
      const pass = newPass(input, route.inject, true);
      const html = renderInstance(page, pass, [route.layout, `[${PAGE_CONTENT}]`, page]);
      const pageTitle = registry.has(page) ? registry.get(page).title : undefined;
      const layoutTitle = registry.has(route.layout) ? registry.get(route.layout).title : undefined;
      return {
        title: firstTitle(pageTitle, route.title, layoutTitle) ?? title,
        injectedParts: { pageContent: html },
        styles: pass.styles,
        scripts: pass.scripts,
      };
    },

    renderComponent(name, input, inject) {
      const pass = newPass(input, inject, true);
      const html = renderInstance(name, pass, [name]);
      return { html, styles: pass.styles, scripts: pass.scripts };
    },

    templateRefersTo(component, name) {
      if (!registry.has(component)) return true;
      const template = registry.get(component).template;
      // asked for every event of a channel: worked out once per prepared template (a dev reload makes new ones)
      let known = referredNames.get(template);
      if (!known) referredNames.set(template, (known = new Map()));
      let refers = known.get(name);
      if (refers === undefined) {
        refers = templateRefersTo(template.text, template.conditions.map((condition) => condition.expression), name);
        known.set(name, refers);
      }
      return refers;
    },

    invalidate() {
      registry.invalidate();
      writer = new TemplateWriter(onConditionFailure);
    },

    templateCacheSize() {
      return writer.cachedTemplateCount();
    },

    prepare,

    prepareRemaining(stop) {
      return prepare(registry.unprepared(), stop);
    },
  };
}

function describeChain(chain: string[]): string {
  return chain.map((part) => (part.startsWith('[') ? `-${part}->` : `"${part}"`)).join(' ');
}
