/*
 * adapter-pg's executeScript (how Prisma's schema engine runs a migration file) splits on every ";", also inside a
 * function body, a string or a comment. Issue 26's counters need PL/pgSQL trigger functions, whose bodies are full of
 * semicolons, so migrations run through this splitter instead: it cuts only at a ";" outside quotes ('…', E'…', "…"),
 * dollar quotes ($$…$$, $tag$…$tag$) and comments (--…, nested /* … *​/). Statements with nothing but comments are dropped.
 */
export function splitSqlStatements(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let hasCode = false;
  let i = 0;
  const push = (end: number) => {
    if (hasCode) statements.push(script.slice(start, end).trim());
    start = end + 1;
    hasCode = false;
  };
  while (i < script.length) {
    const c = script[i]!;
    const next = script[i + 1];
    if (c === "-" && next === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
    } else if (c === "/" && next === "*") {
      let depth = 1;
      i += 2;
      while (i < script.length && depth > 0) {
        const pair = script.slice(i, i + 2);
        depth += pair === "/*" ? 1 : pair === "*/" ? -1 : 0;
        i += pair === "/*" || pair === "*/" ? 2 : 1;
      }
    } else if (c === "'" || c === '"') {
      hasCode = true;
      const backslashes = c === "'" && /[eE]/.test(script[i - 1] ?? "") && !/[A-Za-z0-9_]/.test(script[i - 2] ?? "");
      i += 1;
      while (i < script.length) {
        if (backslashes && script[i] === "\\") i += 2;
        else if (script[i] === c && script[i + 1] === c) i += 2;
        else if (script[i] === c) break;
        else i += 1;
      }
      i += 1;
    } else if (c === "$" && !/[A-Za-z0-9_]/.test(script[i - 1] ?? "")) {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(script.slice(i));
      if (tag) {
        hasCode = true;
        const end = script.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? script.length : end + tag[0].length;
      } else {
        hasCode = true;
        i += 1;
      }
    } else if (c === ";") {
      push(i);
      i += 1;
    } else {
      if (!/\s/.test(c)) hasCode = true;
      i += 1;
    }
  }
  push(script.length);
  return statements;
}
