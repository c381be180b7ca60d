import { getDb } from "@/lib/db/client";
import type { Prisma } from "@/lib/db/generated/client";
import { enqueueJob, jobIdFor, QUEUES } from "@/lib/queue/job-queue";
import { mailEnabled } from "@/lib/mail/send-mail";

export type NotificationInput = { userId: string; kind: string; title: string; body: string; patId?: string | null; dedupeKey: string };

/**
 * Creates a notice once per dedupeKey (a job that runs again, or on two instances, adds nothing) and,
 * when SMTP_URL is set, queues its mail in the same transaction. Returns whether it was new.
 */
export async function createNotification(input: NotificationInput, tx?: Prisma.TransactionClient): Promise<boolean> {
  const run = async (db: Prisma.TransactionClient) => {
    const created = await db.notification.createManyAndReturn({ data: [{ ...input, patId: input.patId ?? null }], skipDuplicates: true, select: { id: true } });
    if (created.length === 0) return false;
    if (mailEnabled())
      await enqueueJob(
        QUEUES.mail,
        { notificationId: created[0]!.id },
        {
          tx: db,
          id: jobIdFor(`mail:${created[0]!.id}`),
          retryLimit: 8,
          retryDelay: Number(process.env.TESSERA_MAIL_RETRY_DELAY_SECONDS ?? 30),
          retryBackoff: true,
        },
      );
    return true;
  };
  return tx ? run(tx) : getDb().$transaction(run);
}
