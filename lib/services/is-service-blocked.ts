import { getDb } from "@/lib/db/client";

/** Whether the person refused this service acting for them at this provider. */
export async function isServiceBlocked(userId: string, serviceClientId: string, provider: string): Promise<boolean> {
  const block = await getDb().serviceBlock.findUnique({ where: { userId_serviceClientId_provider: { userId, serviceClientId, provider } }, select: { userId: true } });
  return block !== null;
}
