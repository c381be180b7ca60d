import { getPool } from "../db/client";
import { JOB_SCHEMA, QUEUES } from "./job-queue";

/** Waiting jobs per Tessera queue (0 for an empty one); empty when the database cannot answer. */
export async function readJobQueueDepth(): Promise<{ queue: string; depth: number }[]> {
  try {
    const { rows } = await getPool().query<{ name: string; depth: string }>(
      `SELECT name, count(*)::text AS depth FROM ${JOB_SCHEMA}.job WHERE state IN ('created', 'retry') GROUP BY name`,
    );
    const byName = new Map(rows.map((row) => [row.name, Number(row.depth)]));
    return Object.values(QUEUES).map((queue) => ({ queue, depth: byName.get(queue) ?? 0 }));
  } catch {
    return [];
  }
}
