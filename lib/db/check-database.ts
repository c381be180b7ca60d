import { getPool } from "./client";

/** Answers within `timeoutMs` whether the database runs a query; never throws. */
export async function checkDatabase(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    // The plain pool, like the PAT lookup: a health probe is on the hot path of every load balancer (issue 26).
    const query = getPool()
      .query("SELECT 1")
      .then(() => true)
      .catch(() => false);
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
