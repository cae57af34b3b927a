// Compile-time state: where each arrow-local name lives, which free names the expression reads,
// and the runtime shapes compiled code works with.
import type { Node } from 'acorn';
import { ExpressionError } from './errors.js';
import { WRAP_OFFSET } from './parse.js';
import type { ExpressionScope } from './scope.js';

/**
 * One arrow call's variables: index 0 is the enclosing call's frame (undefined at top level),
 * locals live at the slots the compiler assigned. A flat array is one allocation per call.
 */
export type Frame = any[];

/** A compiled expression node. */
export type Evaluator = (scope: ExpressionScope, frame: Frame | undefined) => any;

export interface LocalBinding {
  readonly slot: number;
  readonly constant: boolean;
}

/**
 * The locals of one arrow function. Block-scoped names get their own slot in the function's frame:
 * without loops a block runs at most once per call, so one slot per declaration is exact.
 */
export class FunctionScope {
  /** slot 0 holds the enclosing frame */
  size = 1;
  private readonly blocks: Map<string, LocalBinding>[] = [new Map()];

  constructor(readonly parent: FunctionScope | undefined) {}

  declare(name: string, constant: boolean): LocalBinding {
    const binding = { slot: this.size++, constant };
    this.blocks[this.blocks.length - 1].set(name, binding);
    return binding;
  }

  enterBlock(): void {
    this.blocks.push(new Map());
  }

  leaveBlock(): void {
    this.blocks.pop();
  }

  findOwn(name: string): LocalBinding | undefined {
    for (let i = this.blocks.length - 1; i >= 0; i--) {
      const binding = this.blocks[i].get(name);
      if (binding) return binding;
    }
    return undefined;
  }
}

export interface ResolvedLocal {
  /** how many frames up from the current one */
  readonly depth: number;
  readonly binding: LocalBinding;
}

export class CompileContext {
  readonly roots: string[] = [];
  private readonly rootSet = new Set<string>();
  /** the arrow being compiled; undefined at the expression's top level */
  fn: FunctionScope | undefined = undefined;

  constructor(readonly source: string) {}

  resolveLocal(name: string): ResolvedLocal | undefined {
    let depth = 0;
    for (let fn = this.fn; fn; fn = fn.parent, depth++) {
      const binding = fn.findOwn(name);
      if (binding) return { depth, binding };
    }
    return undefined;
  }

  noteRoot(name: string): void {
    if (this.rootSet.has(name)) return;
    this.rootSet.add(name);
    this.roots.push(name);
  }

  /** The node's text as the author wrote it, shortened for messages. */
  textOf(node: Node): string {
    const text = this.source.slice(node.start - WRAP_OFFSET, node.end - WRAP_OFFSET);
    return text.length > 80 ? `${text.slice(0, 77)}…` : text;
  }

  unsupported(what: string, hint?: string): ExpressionError {
    const advice = hint === undefined ? '' : `; ${hint}`;
    return new ExpressionError('syntax', this.source, `${what} not supported in expressions${advice}`);
  }
}

export function frameAt(frame: Frame | undefined, depth: number): Frame {
  let current = frame as Frame;
  for (let i = 0; i < depth; i++) current = current[0];
  return current;
}
