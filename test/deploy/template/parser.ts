// Builds the tree of a Go template from its pieces: text, output actions, if/else if/else, range,
// with, define and template/include calls. Unknown functions are parse errors, as in Go.
import type { Piece, Token } from './lexer.js';
import { TemplateSyntaxError, splitActions } from './lexer.js';

export type Operand =
  | { op: 'field'; path: string[] }
  | { op: 'var'; name: string; path: string[] }
  | { op: 'fn'; name: string }
  | { op: 'literal'; value: unknown }
  | { op: 'sub'; pipe: Pipeline };

export type Command = Operand[];

export interface Pipeline {
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline; for range, `$i, $v`. */
  vars: string[];
  assign: boolean;
  cmds: Command[];
}

export type TemplateNode =
  | { type: 'text'; text: string }
  | { type: 'output'; pipe: Pipeline; where: string }
  | { type: 'if'; pipe: Pipeline; then: TemplateNode[]; else: TemplateNode[]; where: string }
  | { type: 'range'; pipe: Pipeline; body: TemplateNode[]; else: TemplateNode[]; where: string }
  | { type: 'with'; pipe: Pipeline; body: TemplateNode[]; else: TemplateNode[]; where: string }
  | { type: 'template'; name: string; pipe: Pipeline | undefined; where: string };

export interface ParsedTemplate {
  name: string;
  root: TemplateNode[];
  defines: Map<string, TemplateNode[]>;
}

type Action = Extract<Piece, { kind: 'action' }>;

class Parser {
  private i = 0;
  readonly defines = new Map<string, TemplateNode[]>();

  constructor(
    private readonly pieces: Piece[],
    private readonly name: string,
    private readonly functions: ReadonlySet<string>,
  ) {}

  /** Nodes up to one of the `stop` keywords (returned with the action that stopped). */
  list(stop: string[]): { nodes: TemplateNode[]; end: { keyword: string; action: Action } | undefined } {
    const nodes: TemplateNode[] = [];
    while (this.i < this.pieces.length) {
      const piece = this.pieces[this.i++];
      if (piece === undefined) break;
      if (piece.kind === 'text') {
        nodes.push({ type: 'text', text: piece.text });
        continue;
      }
      const first = piece.tokens[0];
      const keyword = first?.t === 'ident' ? first.name : '';
      if (stop.includes(keyword)) return { nodes, end: { keyword, action: piece } };
      nodes.push(...this.action(piece, keyword));
    }
    if (stop.length > 0) throw new TemplateSyntaxError(`${this.name}: missing {{end}}`);
    return { nodes, end: undefined };
  }

  private where(a: Action): string {
    return `${this.name}:${a.line}`;
  }

  private action(a: Action, keyword: string): TemplateNode[] {
    const where = this.where(a);
    const rest = a.tokens.slice(1);
    switch (keyword) {
      case 'if':
        return [this.conditional(rest, where)];
      case 'range':
      case 'with': {
        const pipe = this.pipeline(rest, where, keyword === 'range');
        const body = this.list(['else', 'end']);
        let elseNodes: TemplateNode[] = [];
        if (body.end?.keyword === 'else') elseNodes = this.expectEnd(this.list(['end']), where);
        return [{ type: keyword, pipe, body: body.nodes, else: elseNodes, where }];
      }
      case 'define': {
        const nameTok = rest[0];
        if (nameTok?.t !== 'string' || rest.length !== 1) throw new TemplateSyntaxError(`${where}: define needs one name`);
        this.defines.set(nameTok.value, this.expectEnd(this.list(['end']), where));
        return [];
      }
      case 'template': {
        const nameTok = rest[0];
        if (nameTok?.t !== 'string') throw new TemplateSyntaxError(`${where}: template needs a name`);
        const pipe = rest.length > 1 ? this.pipeline(rest.slice(1), where, false) : undefined;
        return [{ type: 'template', name: nameTok.value, pipe, where }];
      }
      case 'block':
      case 'break':
      case 'continue':
        throw new TemplateSyntaxError(`${where}: {{${keyword}}} is outside the supported subset`);
      case 'else':
      case 'end':
        throw new TemplateSyntaxError(`${where}: unexpected {{${keyword}}}`);
      default:
        return [{ type: 'output', pipe: this.pipeline(a.tokens, where, false), where }];
    }
  }

  /** `if` with its `else if` chain, which Go treats as a nested if in the else branch. */
  private conditional(tokens: Token[], where: string): TemplateNode {
    const pipe = this.pipeline(tokens, where, false);
    const then = this.list(['else', 'end']);
    let elseNodes: TemplateNode[] = [];
    if (then.end?.keyword === 'else') {
      const after = then.end.action.tokens.slice(1);
      const next = after[0];
      if (next?.t === 'ident' && next.name === 'if') elseNodes = [this.conditional(after.slice(1), where)];
      else if (after.length > 0) throw new TemplateSyntaxError(`${where}: only "else if" is supported`);
      else elseNodes = this.expectEnd(this.list(['end']), where);
    }
    return { type: 'if', pipe, then: then.nodes, else: elseNodes, where };
  }

  private expectEnd(r: ReturnType<Parser['list']>, where: string): TemplateNode[] {
    if (r.end?.keyword !== 'end') throw new TemplateSyntaxError(`${where}: expected {{end}}`);
    return r.nodes;
  }

  pipeline(tokens: Token[], where: string, allowTwoVars: boolean): Pipeline {
    let vars: string[] = [];
    let assign = false;
    const declAt = tokens.findIndex((t) => t.t === 'punct' && (t.value === ':=' || t.value === '='));
    if (declAt !== -1) {
      const head = tokens.slice(0, declAt);
      vars = head.filter((t) => t.t !== 'punct').map((t) => (t.t === 'var' && t.path.length === 0 ? t.name : ''));
      const shapeOk = vars.every((v) => v !== '') && vars.length <= (allowTwoVars ? 2 : 1);
      if (!shapeOk) throw new TemplateSyntaxError(`${where}: bad variable declaration`);
      const op = tokens[declAt];
      assign = op?.t === 'punct' && op.value === '=';
      tokens = tokens.slice(declAt + 1);
    }
    const cmds: Command[] = [];
    let current: Command = [];
    for (let k = 0; k < tokens.length; k++) {
      const tok = tokens[k];
      if (tok === undefined) break;
      if (tok.t === 'punct' && tok.value === '|') {
        cmds.push(current);
        current = [];
      } else if (tok.t === 'punct' && tok.value === '(') {
        const close = matchingParen(tokens, k, where);
        current.push({ op: 'sub', pipe: this.pipeline(tokens.slice(k + 1, close), where, false) });
        k = close;
      } else {
        current.push(this.operand(tok, where));
      }
    }
    cmds.push(current);
    if (cmds.some((c) => c.length === 0)) throw new TemplateSyntaxError(`${where}: empty command in pipeline`);
    return { vars, assign, cmds };
  }

  private operand(tok: Token, where: string): Operand {
    switch (tok.t) {
      case 'field':
        return { op: 'field', path: tok.path };
      case 'var':
        return { op: 'var', name: tok.name, path: tok.path };
      case 'ident':
        if (!this.functions.has(tok.name)) throw new TemplateSyntaxError(`${where}: function "${tok.name}" not defined`);
        return { op: 'fn', name: tok.name };
      case 'string':
      case 'int':
      case 'float':
      case 'bool':
        return { op: 'literal', value: tok.value };
      case 'nil':
        return { op: 'literal', value: null };
      case 'punct':
        throw new TemplateSyntaxError(`${where}: unexpected "${tok.value}"`);
    }
  }
}

function matchingParen(tokens: Token[], open: number, where: string): number {
  let depth = 0;
  for (let k = open; k < tokens.length; k++) {
    const t = tokens[k];
    if (t?.t === 'punct' && t.value === '(') depth++;
    if (t?.t === 'punct' && t.value === ')' && --depth === 0) return k;
  }
  throw new TemplateSyntaxError(`${where}: unclosed "("`);
}

export function parseTemplate(source: string, name: string, functions: ReadonlySet<string>): ParsedTemplate {
  const parser = new Parser(splitActions(source, name), name, functions);
  const { nodes } = parser.list([]);
  return { name, root: nodes, defines: parser.defines };
}
