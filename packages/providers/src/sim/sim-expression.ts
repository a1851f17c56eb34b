/**
 * A small arithmetic language: integers and decimals, + - * /, unary minus, parentheses,
 * the usual precedence. A recursive-descent parser, so no prompt text is ever evaluated
 * as code.
 */
export type Op = "+" | "-" | "*" | "/";

export type Expr =
  | { kind: "num"; value: number }
  | { kind: "neg"; arg: Expr }
  | { kind: "bin"; op: Op; left: Expr; right: Expr };

const TOKEN = /\s*(\d+(?:\.\d+)?|\.\d+|[-+*/()])/y;

function lex(src: string): string[] | null {
  const text = src.trim();
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < text.length) {
    const m = TOKEN.exec(text);
    if (m === null) return null;
    tokens.push(m[1] as string);
  }
  return tokens;
}

/** Null when `src` is not exactly one well-formed expression. */
export function parseExpression(src: string): Expr | null {
  const tokens = lex(src);
  if (tokens === null || tokens.length === 0) return null;
  let pos = 0;
  const peek = () => tokens[pos];

  // expr := term (("+"|"-") term)* ; term := unary (("*"|"/") unary)* ; unary := "-" unary | atom
  const expr = (): Expr | null => {
    let left = term();
    while (left !== null && (peek() === "+" || peek() === "-")) {
      const op = tokens[pos++] as Op;
      const right = term();
      left = right === null ? null : { kind: "bin", op, left, right };
    }
    return left;
  };
  const term = (): Expr | null => {
    let left = unary();
    while (left !== null && (peek() === "*" || peek() === "/")) {
      const op = tokens[pos++] as Op;
      const right = unary();
      left = right === null ? null : { kind: "bin", op, left, right };
    }
    return left;
  };
  const unary = (): Expr | null => {
    if (peek() === "-") {
      pos++;
      const arg = unary();
      return arg === null ? null : { kind: "neg", arg };
    }
    if (peek() === "+") {
      pos++;
      return unary();
    }
    return atom();
  };
  const atom = (): Expr | null => {
    const token = tokens[pos++];
    if (token === undefined) return null;
    if (token === "(") {
      const inner = expr();
      return tokens[pos++] === ")" ? inner : null;
    }
    return /^[\d.]/.test(token) ? { kind: "num", value: Number(token) } : null;
  };

  const result = expr();
  return result !== null && pos === tokens.length ? result : null;
}

/** NaN when the expression divides by zero. */
export function evaluate(expr: Expr): number {
  switch (expr.kind) {
    case "num":
      return expr.value;
    case "neg":
      return -evaluate(expr.arg);
    case "bin":
      return apply(expr.op, evaluate(expr.left), evaluate(expr.right));
  }
}

export function apply(op: Op, a: number, b: number): number {
  switch (op) {
    case "+":
      return a + b;
    case "-":
      return a - b;
    case "*":
      return a * b;
    case "/":
      return b === 0 ? Number.NaN : a / b;
  }
}

/** Twelve significant digits hide binary noise (0.1 + 0.2 → "0.3") without touching integers we meet. */
export function formatNumber(n: number): string {
  if (Number.isNaN(n)) return "undefined";
  const rounded = Number(n.toPrecision(12));
  return Object.is(rounded, -0) ? "0" : String(rounded);
}

const PRECEDENCE: Record<Op, number> = { "+": 1, "-": 1, "*": 2, "/": 2 };

export function formatExpr(expr: Expr): string {
  switch (expr.kind) {
    case "num":
      return formatNumber(expr.value);
    case "neg":
      return expr.arg.kind === "num" ? `-${formatExpr(expr.arg)}` : `-(${formatExpr(expr.arg)})`;
    case "bin": {
      const wrap = (side: Expr, right: boolean) => {
        const text = formatExpr(side);
        if (side.kind !== "bin") return side.kind === "neg" && right ? `(${text})` : text;
        const lower = PRECEDENCE[side.op] < PRECEDENCE[expr.op];
        const sameRight = right && PRECEDENCE[side.op] === PRECEDENCE[expr.op] && expr.op !== "+" && expr.op !== "*";
        return lower || sameRight ? `(${text})` : text;
      };
      return `${wrap(expr.left, false)} ${expr.op} ${wrap(expr.right, true)}`;
    }
  }
}

/** Binary operations in evaluation order (innermost first): the steps a derivation shows. */
export function operations(expr: Expr): Array<Extract<Expr, { kind: "bin" }>> {
  switch (expr.kind) {
    case "num":
      return [];
    case "neg":
      return operations(expr.arg);
    case "bin":
      return [...operations(expr.left), ...operations(expr.right), expr];
  }
}
