/**
 * `combination_logic` of an ingestion profile: group ids joined by AND / OR (any case), with parentheses;
 * AND binds tighter than OR, as in "entity_signals AND (technology_signals OR trademark_signals)".
 */
export type LogicExpr = { kind: "group"; id: string } | { kind: "and" | "or"; operands: LogicExpr[] };

export type LogicParse = { ok: true; expr: LogicExpr } | { ok: false; message: string };

type Token = { kind: "id"; text: string } | { kind: "and" | "or" | "(" | ")" };

const TOKEN = /\s*(?:(\()|(\))|([A-Za-z0-9_.-]+)|(\S))/y;

function tokenize(source: string): Token[] | string {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(source); m !== null; m = TOKEN.exec(source)) {
    if (m[1]) tokens.push({ kind: "(" });
    else if (m[2]) tokens.push({ kind: ")" });
    else if (m[4]) return `unexpected "${m[4]}"`;
    else {
      const word = m[3] ?? "";
      const upper = word.toUpperCase();
      if (upper === "AND") tokens.push({ kind: "and" });
      else if (upper === "OR") tokens.push({ kind: "or" });
      else tokens.push({ kind: "id", text: word });
    }
  }
  return tokens;
}

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): LogicExpr {
    const expr = this.or();
    const extra = this.tokens[this.pos];
    if (extra) throw new Error(`unexpected ${describe(extra)}`);
    return expr;
  }

  private or(): LogicExpr {
    return this.chain("or", () => this.and());
  }

  private and(): LogicExpr {
    return this.chain("and", () => this.operand());
  }

  private chain(kind: "and" | "or", next: () => LogicExpr): LogicExpr {
    const operands = [next()];
    while (this.tokens[this.pos]?.kind === kind) {
      this.pos++;
      operands.push(next());
    }
    return operands.length === 1 && operands[0] ? operands[0] : { kind, operands };
  }

  private operand(): LogicExpr {
    const token = this.tokens[this.pos++];
    if (token?.kind === "id") return { kind: "group", id: token.text };
    if (token?.kind === "(") {
      const inner = this.or();
      if (this.tokens[this.pos++]?.kind !== ")") throw new Error('missing ")"');
      return inner;
    }
    throw new Error(token ? `unexpected ${describe(token)}` : "unexpected end");
  }
}

function describe(token: Token): string {
  return token.kind === "id"
    ? `"${token.text}"`
    : token.kind === "and" || token.kind === "or"
      ? token.kind.toUpperCase()
      : `"${token.kind}"`;
}

export function parseCombinationLogic(source: string): LogicParse {
  const tokens = tokenize(source);
  if (typeof tokens === "string") return { ok: false, message: tokens };
  if (tokens.length === 0) return { ok: false, message: "is empty" };
  try {
    return { ok: true, expr: new Parser(tokens).parse() };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The logic a profile gets without `combination_logic`: all its groups joined by `kind`. */
export function joinGroups(kind: "and" | "or", ids: readonly string[]): LogicExpr {
  const operands: LogicExpr[] = ids.map((id) => ({ kind: "group", id }));
  return operands.length === 1 && operands[0] ? operands[0] : { kind, operands };
}

export function groupIds(expr: LogicExpr): string[] {
  return expr.kind === "group" ? [expr.id] : expr.operands.flatMap(groupIds);
}

export function evaluateLogic(expr: LogicExpr, satisfied: (id: string) => boolean): boolean {
  if (expr.kind === "group") return satisfied(expr.id);
  return expr.kind === "and"
    ? expr.operands.every((e) => evaluateLogic(e, satisfied))
    : expr.operands.some((e) => evaluateLogic(e, satisfied));
}

/** The fewest matched terms that can satisfy the logic, given each group's own minimum (Infinity: never). */
export function fewestMatches(expr: LogicExpr, groupMinimum: (id: string) => number): number {
  if (expr.kind === "group") return groupMinimum(expr.id);
  const costs = expr.operands.map((e) => fewestMatches(e, groupMinimum));
  return expr.kind === "and" ? costs.reduce((a, b) => a + b, 0) : Math.min(...costs);
}

export function formatLogic(expr: LogicExpr, nested = false): string {
  if (expr.kind === "group") return expr.id;
  const text = expr.operands.map((e) => formatLogic(e, true)).join(` ${expr.kind.toUpperCase()} `);
  return nested ? `(${text})` : text;
}
