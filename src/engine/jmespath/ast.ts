// The syntax tree the parser produces and the interpreter walks. Node shapes mirror
// go-jmespath's AST so evaluation rules can be carried over one node type at a time.
import type { JsonValue } from '../../api/json.js';
import type { CallSite } from './call.js';

export type Comparator = 'eq' | 'ne' | 'lt' | 'lte' | 'gt' | 'gte';

export type AstNode =
  | { type: 'field'; name: string }
  /** `a.b.c` as one node (made by compile(), never by the parser): the keys are read in a loop. */
  | { type: 'fields'; names: readonly string[] }
  /** Both `@` and the implicit "current value" of an empty projection right-hand side. */
  | { type: 'current' }
  | { type: 'literal'; value: JsonValue }
  | { type: 'subexpression'; left: AstNode; right: AstNode }
  | { type: 'indexExpression'; left: AstNode; right: AstNode }
  | { type: 'index'; index: number }
  | { type: 'slice'; start: number | null; stop: number | null; step: number | null }
  /** `left[*]rhs`, `left[]rhs` and `left[a:b]rhs`: apply right to each element of the array left. */
  | { type: 'projection'; left: AstNode; right: AstNode }
  /** `left.*rhs`: apply right to each value of the object left. */
  | { type: 'valueProjection'; left: AstNode; right: AstNode }
  | { type: 'filterProjection'; left: AstNode; right: AstNode; condition: AstNode }
  | { type: 'flatten'; child: AstNode }
  | { type: 'comparator'; op: Comparator; left: AstNode; right: AstNode }
  | { type: 'or'; left: AstNode; right: AstNode }
  | { type: 'and'; left: AstNode; right: AstNode }
  | { type: 'not'; child: AstNode }
  | { type: 'pipe'; left: AstNode; right: AstNode }
  | { type: 'multiSelectList'; children: AstNode[] }
  | { type: 'multiSelectHash'; entries: { key: string; value: AstNode }[] }
  /** `site`: the resolved function and argument checks, filled in by the first call (call.ts). */
  | { type: 'function'; name: string; args: AstNode[]; site: CallSite | undefined }
  | { type: 'expref'; child: AstNode };

export const currentNode: AstNode = Object.freeze({ type: 'current' });
