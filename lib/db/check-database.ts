import { getDb } from "./client";

/** Answers within `timeoutMs` whether the database runs a query; never throws. */
export async function checkDatabase(timeoutMs = 2000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    const query = getDb().$queryRaw`SELECT 1`.then(() => true).catch(() => false);
    return await Promise.race([query, timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
