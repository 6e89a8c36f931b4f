// Pratt parser for the original JMESPath grammar. Binding powers and the shape of every
// production follow go-jmespath, so precedence quirks (e.g. `!a.b` is `(!a).b`) match Kyverno.
import type { AstNode, Comparator } from './ast.js';
import { currentNode } from './ast.js';
import type { Token, TokenType } from './lexer.js';
import { syntaxError, tokenize } from './lexer.js';

const bindingPower: Partial<Record<TokenType, number>> = {
  pipe: 1,
  or: 2,
  and: 3,
  eq: 5,
  lt: 5,
  lte: 5,
  gt: 5,
  gte: 5,
  ne: 5,
  flatten: 9,
  star: 20,
  filter: 21,
  dot: 40,
  not: 45,
  lbrace: 50,
  lbracket: 55,
  lparen: 60,
};

function bp(type: TokenType): number {
  return bindingPower[type] ?? 0;
}

const comparators: Partial<Record<TokenType, Comparator>> = {
  eq: 'eq',
  ne: 'ne',
  lt: 'lt',
  lte: 'lte',
  gt: 'gt',
  gte: 'gte',
};

class Parser {
  private index = 0;

  constructor(
    private readonly expression: string,
    private readonly tokens: Token[],
  ) {}

  parse(): AstNode {
    const node = this.expressionAt(0);
    if (this.current().type !== 'eof') {
      throw this.error(`Unexpected token at the end of the expression: ${this.describe(this.current())}`);
    }
    return node;
  }

  private current(): Token {
    return this.lookahead(0);
  }

  private lookahead(n: number): Token {
    return this.tokens[Math.min(this.index + n, this.tokens.length - 1)] as Token;
  }

  private advance(): void {
    this.index++;
  }

  private describe(token: Token): string {
    return token.type === 'eof' ? 'end of expression' : `${token.type} ${JSON.stringify(token.text)}`;
  }

  private error(message: string, token: Token = this.current()): Error {
    return syntaxError(this.expression, token.position, message);
  }

  private match(type: TokenType): void {
    if (this.current().type !== type) {
      throw this.error(`Expected ${type}, received: ${this.describe(this.current())}`);
    }
    this.advance();
  }

  private expressionAt(power: number): AstNode {
    const token = this.current();
    this.advance();
    let left = this.nud(token);
    while (power < bp(this.current().type)) {
      const next = this.current();
      this.advance();
      left = this.led(next, left);
    }
    return left;
  }

  private nud(token: Token): AstNode {
    switch (token.type) {
      case 'jsonLiteral':
        return { type: 'literal', value: token.literal ?? null };
      case 'stringLiteral':
        return { type: 'literal', value: token.text };
      case 'unquotedIdentifier':
        return { type: 'field', name: token.text };
      case 'quotedIdentifier':
        if (this.current().type === 'lparen')
          throw this.error("Can't have quoted identifier as function name.", token);
        return { type: 'field', name: token.text };
      case 'star': {
        const right = this.current().type === 'rbracket' ? currentNode : this.projectionRhs(bp('star'));
        return { type: 'valueProjection', left: currentNode, right };
      }
      case 'filter':
        return this.filter(currentNode);
      case 'lbrace':
        return this.multiSelectHash();
      case 'flatten': {
        const right = this.projectionRhs(bp('flatten'));
        return { type: 'projection', left: { type: 'flatten', child: currentNode }, right };
      }
      case 'lbracket': {
        const next = this.current().type;
        if (next === 'number' || next === 'colon') {
          return this.projectIfSlice(currentNode, this.indexExpression());
        }
        if (next === 'star' && this.lookahead(1).type === 'rbracket') {
          this.advance();
          this.advance();
          return { type: 'projection', left: currentNode, right: this.projectionRhs(bp('star')) };
        }
        return this.multiSelectList();
      }
      case 'current':
        return currentNode;
      case 'expref':
        return { type: 'expref', child: this.expressionAt(bp('expref')) };
      case 'not':
        return { type: 'not', child: this.expressionAt(bp('not')) };
      case 'lparen': {
        const inner = this.expressionAt(0);
        this.match('rparen');
        return inner;
      }
      case 'eof':
        throw this.error('Incomplete expression', token);
      default:
        throw this.error(`Invalid token: ${this.describe(token)}`, token);
    }
  }

  private led(token: Token, left: AstNode): AstNode {
    switch (token.type) {
      case 'dot':
        if (this.current().type !== 'star') {
          return { type: 'subexpression', left, right: this.dotRhs(bp('dot')) };
        }
        this.advance();
        return { type: 'valueProjection', left, right: this.projectionRhs(bp('dot')) };
      case 'pipe':
        return { type: 'pipe', left, right: this.expressionAt(bp('pipe')) };
      case 'or':
        return { type: 'or', left, right: this.expressionAt(bp('or')) };
      case 'and':
        return { type: 'and', left, right: this.expressionAt(bp('and')) };
      case 'lparen':
        return this.functionCall(token, left);
      case 'filter':
        return this.filter(left);
      case 'flatten':
        return {
          type: 'projection',
          left: { type: 'flatten', child: left },
          right: this.projectionRhs(bp('flatten')),
        };
      case 'eq':
      case 'ne':
      case 'lt':
      case 'lte':
      case 'gt':
      case 'gte':
        return {
          type: 'comparator',
          op: comparators[token.type] ?? 'eq',
          left,
          right: this.expressionAt(bp(token.type)),
        };
      case 'lbracket': {
        const next = this.current().type;
        if (next === 'number' || next === 'colon') return this.projectIfSlice(left, this.indexExpression());
        this.match('star');
        this.match('rbracket');
        return { type: 'projection', left, right: this.projectionRhs(bp('star')) };
      }
      default:
        throw this.error(`Unexpected token: ${this.describe(token)}`, token);
    }
  }

  private functionCall(token: Token, callee: AstNode): AstNode {
    if (callee.type !== 'field') throw this.error('Invalid function name', token);
    const args: AstNode[] = [];
    if (this.current().type !== 'rparen') {
      for (;;) {
        args.push(this.expressionAt(0));
        if (this.current().type !== 'comma') break;
        this.advance();
      }
    }
    this.match('rparen');
    return { type: 'function', name: callee.name, args, site: undefined };
  }

  private parseInteger(token: Token): number {
    if (!/^-?\d+$/.test(token.text)) throw this.error(`Invalid number: ${JSON.stringify(token.text)}`, token);
    return Number.parseInt(token.text, 10);
  }

  private indexExpression(): AstNode {
    if (this.current().type === 'colon' || this.lookahead(1).type === 'colon') return this.sliceExpression();
    const index = this.parseInteger(this.current());
    this.advance();
    this.match('rbracket');
    return { type: 'index', index };
  }

  private sliceExpression(): AstNode {
    const parts: (number | null)[] = [null, null, null];
    let part = 0;
    let current = this.current();
    while (current.type !== 'rbracket' && part < 3) {
      if (current.type === 'colon') {
        part++;
        this.advance();
      } else if (current.type === 'number') {
        parts[part] = this.parseInteger(current);
        this.advance();
      } else {
        throw this.error(`Expected colon or number, received: ${this.describe(current)}`);
      }
      current = this.current();
    }
    this.match('rbracket');
    return { type: 'slice', start: parts[0] ?? null, stop: parts[1] ?? null, step: parts[2] ?? null };
  }

  private projectIfSlice(left: AstNode, right: AstNode): AstNode {
    const indexed: AstNode = { type: 'indexExpression', left, right };
    if (right.type !== 'slice') return indexed;
    return { type: 'projection', left: indexed, right: this.projectionRhs(bp('star')) };
  }

  private filter(left: AstNode): AstNode {
    const condition = this.expressionAt(0);
    this.match('rbracket');
    const right = this.current().type === 'flatten' ? currentNode : this.projectionRhs(bp('filter'));
    return { type: 'filterProjection', left, right, condition };
  }

  private dotRhs(power: number): AstNode {
    const next = this.current().type;
    if (next === 'quotedIdentifier' || next === 'unquotedIdentifier' || next === 'star') {
      return this.expressionAt(power);
    }
    if (next === 'lbracket') {
      this.advance();
      return this.multiSelectList();
    }
    if (next === 'lbrace') {
      this.advance();
      return this.multiSelectHash();
    }
    throw this.error(`Expected identifier, lbracket, or lbrace, received: ${this.describe(this.current())}`);
  }

  private projectionRhs(power: number): AstNode {
    const next = this.current().type;
    if (bp(next) < 10) return currentNode;
    if (next === 'lbracket' || next === 'filter') return this.expressionAt(power);
    if (next === 'dot') {
      this.advance();
      return this.dotRhs(power);
    }
    throw this.error(`Unexpected token after projection: ${this.describe(this.current())}`);
  }

  private multiSelectList(): AstNode {
    const children: AstNode[] = [];
    for (;;) {
      children.push(this.expressionAt(0));
      if (this.current().type === 'rbracket') break;
      this.match('comma');
    }
    this.match('rbracket');
    return { type: 'multiSelectList', children };
  }

  private multiSelectHash(): AstNode {
    const entries: { key: string; value: AstNode }[] = [];
    for (;;) {
      const keyToken = this.current();
      if (keyToken.type !== 'unquotedIdentifier' && keyToken.type !== 'quotedIdentifier') {
        throw this.error(
          `Expected identifier as multi-select hash key, received: ${this.describe(keyToken)}`,
        );
      }
      this.advance();
      this.match('colon');
      entries.push({ key: keyToken.text, value: this.expressionAt(0) });
      if (this.current().type === 'rbrace') break;
      this.match('comma');
    }
    this.match('rbrace');
    return { type: 'multiSelectHash', entries };
  }
}

export function parse(expression: string): AstNode {
  return new Parser(expression, tokenize(expression)).parse();
}
