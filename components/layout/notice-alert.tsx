import { Alert } from "@/components/ui/alert";
import { readNotice, readNoticeParams, resolveNotice, type NoticeCode } from "@/lib/actions/notices";

/**
 * The notice a server action left in the URL (`?notice=…`), from the one catalogue in
 * lib/actions/notices.ts. Every page an action returns to renders this once, under its header.
 */
export function NoticeAlert({ searchParams, fallback }: { searchParams: Record<string, string | string[] | undefined>; fallback?: NoticeCode | null }) {
  const notice = readNotice(searchParams) ?? (fallback ? resolveNotice(fallback, readNoticeParams(searchParams)) : null);
  return notice ? (
    <Alert tone={notice.tone} data-testid="notice">
      {notice.message}
    </Alert>
  ) : null;
}
