import { getDb } from "@/lib/db/client";

/** The sign-in providers this person has signed in with (their linked accounts): the ones "Confirm it's you" offers. */
export async function listLinkedProviders(userId: string): Promise<string[]> {
  const accounts = await getDb().account.findMany({ where: { userId }, select: { provider: true }, distinct: ["provider"] });
  return accounts.map((account) => account.provider);
}
