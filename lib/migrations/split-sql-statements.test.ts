import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitSqlStatements } from "./split-sql-statements";

describe("splitSqlStatements", () => {
  it("cuts at semicolons between statements, like adapter-pg did", () => {
    expect(splitSqlStatements(`CREATE TABLE "A" (id int);\nALTER TABLE "A" ADD COLUMN b text;\n`)).toEqual([
      `CREATE TABLE "A" (id int)`,
      `ALTER TABLE "A" ADD COLUMN b text`,
    ]);
  });

  it("keeps a PL/pgSQL body, strings, quoted names and comments whole", () => {
    const fn = `CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  INSERT INTO "X" VALUES (1);\n  RETURN NULL;\nEND\n$$`;
    const tagged = `DO $body$ BEGIN PERFORM 1; END $body$`;
    const script = [
      `-- a comment; with a semicolon`,
      fn + ";",
      `/* block; /* nested; */ still; */ SELECT 'it''s; fine', E'back\\'slash;', "odd;name" FROM t;`,
      tagged + ";",
      `SELECT $1::int + 2;`,
    ].join("\n");
    const statements = splitSqlStatements(script);
    expect(statements).toHaveLength(4);
    expect(statements[0]).toContain(fn);
    expect(statements[1]).toMatch(/SELECT 'it''s; fine', E'back\\'slash;', "odd;name" FROM t$/);
    expect(statements[2]).toBe(tagged);
    expect(statements[3]).toBe("SELECT $1::int + 2");
  });

  it("drops statements that are only comments or blank", () => {
    expect(splitSqlStatements(`-- only a comment\n;\n  ;\n/* x */;`)).toEqual([]);
  });

  it("splits any list of plain statements back into the same list", () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9_ (),.=<>]+$/).filter((s) => s.trim().length > 0);
    fc.assert(
      fc.property(fc.array(plain, { minLength: 1, maxLength: 8 }), (list) => {
        expect(splitSqlStatements(list.join(";\n"))).toEqual(list.map((s) => s.trim()));
      }),
    );
  });
});
