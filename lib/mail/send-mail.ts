import nodemailer, { type Transporter } from "nodemailer";
import { getDb } from "@/lib/db/client";
import { logger } from "@/lib/log/logger";

/*
 * Mail for notices, only when SMTP_URL is set (smtp://user:pass@host:port or smtps://…). Sent by the
 * `mail-send` job, never inside a request or a transaction: a slow or down SMTP server delays mail,
 * nothing else. Timeouts are short and pg-boss retries with backoff; after the retries the notice stays
 * in the app (it was never only mail).
 */
export function mailEnabled(): boolean {
  return Boolean(process.env.SMTP_URL);
}

const holder = globalThis as unknown as { tesseraMail?: { url: string; transport: Transporter } };

function transport(): Transporter {
  const url = process.env.SMTP_URL!;
  if (holder.tesseraMail?.url !== url) {
    holder.tesseraMail = { url, transport: nodemailer.createTransport(url, { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 }) };
  }
  return holder.tesseraMail.transport;
}

/** Mails one notice to its owner. Already mailed, gone, or no address: nothing to do. */
export async function sendNotificationMail(notificationId: string): Promise<"sent" | "skipped"> {
  if (!mailEnabled()) return "skipped";
  const notification = await getDb().notification.findUnique({ where: { id: notificationId }, include: { user: { select: { email: true } } } });
  if (!notification || notification.mailedAt || !notification.user.email) return "skipped";
  await transport().sendMail({
    from: process.env.SMTP_FROM ?? "Tessera <tessera@localhost>",
    to: notification.user.email,
    subject: `[Tessera] ${notification.title}`,
    text: `${notification.body}\n\nManage your tokens: ${(process.env.AUTH_URL ?? "").replace(/\/$/, "")}/settings/tokens\n`,
  });
  await getDb().notification.update({ where: { id: notificationId }, data: { mailedAt: new Date() } });
  logger.info({ notificationId, kind: notification.kind }, "notice mailed");
  return "sent";
}
