import { Alert } from "@/components/ui/alert";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { readNotice, readNoticeParams, resolveNotice, type NoticeCode } from "@/lib/actions/notices";

/**
 * The notice a server action left in the URL (`?notice=…`), from the one catalogue in
 * lib/actions/notices.ts. Every page an action returns to renders this once, under its header. It takes focus:
 * the button that ran the action (Revoke in a dialog, a row's action) is usually gone by now.
 */
export function NoticeAlert({ searchParams, fallback }: { searchParams: Record<string, string | string[] | undefined>; fallback?: NoticeCode | null }) {
  const notice = readNotice(searchParams) ?? (fallback ? resolveNotice(fallback, readNoticeParams(searchParams)) : null);
  return notice ? (
    <FocusOnMount>
      <Alert tone={notice.tone} data-testid="notice">
        {notice.message}
      </Alert>
    </FocusOnMount>
  ) : null;
}
