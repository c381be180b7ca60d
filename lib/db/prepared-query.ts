import { createHash } from "node:crypto";
import type pg from "pg";
import { getPool } from "./client";

/*
 * Named (prepared) statements for the hot paths (issue 26). PostgreSQL plans an unnamed statement afresh
 * on every execution, and our one-round-trip statements (a CTE that authenticates and counts, or reads
 * the block, the connection and the token and writes the audit row) cost far more to plan than to run:
 * measured on the server, 550–740 µs of backend CPU each unnamed, 57–133 µs prepared. A named statement
 * is parsed and planned once per connection and then only bound and executed.
 *
 * Two places where a connection is not its own session, handled here so callers need not care:
 *  - The embedded database (PGlite) is ONE session behind its socket: a statement prepared by one
 *    connection exists for every other one (and outlives it), so another connection's Parse of the same
 *    name fails with 42P05. The name holds a hash of the text, so an existing statement of that name is
 *    this very statement: the connection marks it parsed and binds to it.
 *  - A migration that changes a table under a running instance can make a cached plan's result type
 *    stale (0A000, "cached plan must not change result type"): the statement is dropped and prepared
 *    again, once.
 */

export type PreparedStatement = { readonly name: string; readonly text: string };

/** A statement to run prepared: `label` names it for people (pg_prepared_statements); the text's hash keeps it unique. */
export function preparedStatement(label: string, text: string): PreparedStatement {
  if (!/^[a-z_]{1,40}$/.test(label)) throw new Error(`preparedStatement: label ${JSON.stringify(label)} is not [a-z_]{1,40}`);
  return { name: `tsr_${label}_${createHash("sha256").update(text).digest("hex").slice(0, 12)}`, text };
}

type ParsedStatements = Record<string, string>;
const DUPLICATE_PREPARED_STATEMENT = "42P05";
const FEATURE_NOT_SUPPORTED = "0A000";

/** Runs a prepared statement on a pooled connection (as pool.query would: a connection that errs is not reused). */
export async function queryPrepared<R extends pg.QueryResultRow>(statement: PreparedStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
  const client = await getPool().connect();
  let failure: Error | undefined;
  try {
    return await runOn<R>(client, statement, values);
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
    throw error;
  } finally {
    client.release(failure);
  }
}

async function runOn<R extends pg.QueryResultRow>(client: pg.PoolClient, statement: PreparedStatement, values: unknown[]): Promise<pg.QueryResult<R>> {
  const query = () => client.query<R>({ name: statement.name, text: statement.text, values });
  try {
    return await query();
  } catch (error) {
    const code = (error as { code?: string }).code;
    const parsed = parsedStatementsOf(client);
    if (code === DUPLICATE_PREPARED_STATEMENT && parsed) {
      // The shared embedded session already holds this statement (same name, same text): bind to it from now on.
      parsed[statement.name] = statement.text;
      return query();
    }
    if (code === FEATURE_NOT_SUPPORTED && parsed && parsed[statement.name] !== undefined) {
      await client.query(`DEALLOCATE ${statement.name}`);
      delete parsed[statement.name];
      return query();
    }
    throw error;
  }
}

/** pg's per-connection record of the statements it has parsed (pg 8: connection.parsedStatements), or null if it moved. */
function parsedStatementsOf(client: pg.PoolClient): ParsedStatements | null {
  const parsed = (client as unknown as { connection?: { parsedStatements?: ParsedStatements } }).connection?.parsedStatements;
  return parsed && typeof parsed === "object" ? parsed : null;
}
