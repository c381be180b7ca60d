import { getPool } from "@/lib/db/client";

const BLOCK_SQL = `SELECT 1 FROM "ServiceBlock" WHERE "userId" = $1 AND "serviceClientId" = $2 AND provider = $3`;

/** Whether the person refused this service acting for them at this provider (plain SQL: on every exchange). */
export async function isServiceBlocked(userId: string, serviceClientId: string, provider: string): Promise<boolean> {
  const { rowCount } = await getPool().query(BLOCK_SQL, [userId, serviceClientId, provider]);
  return (rowCount ?? 0) > 0;
}
