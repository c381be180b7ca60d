import { SubmitButton } from "@/components/ui/submit-button";

export type HeaderNotification = { id: string; title: string; body: string; read: boolean; when: string };

/**
 * The header's notifications menu: a disclosure (works without JavaScript) with the newest notices
 * and "Mark all read" (a server action).
 */
export function NotificationsMenu({
  items,
  unread,
  markReadAction,
}: {
  items: HeaderNotification[];
  unread: number;
  markReadAction: (formData: FormData) => void | Promise<void>;
}) {
  return (
    <details className="relative" data-testid="notifications-menu">
      <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-1 text-sm text-gray-700 dark:text-gray-300 hover:bg-gray-100 dark:hover:bg-gray-800 focus-visible:outline-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400">
        <svg aria-hidden="true" viewBox="0 0 24 24" className="size-5" fill="none" stroke="currentColor" strokeWidth="1.8">
          <path d="M6 8a6 6 0 1 1 12 0c0 7 3 8 3 8H3s3-1 3-8Z" />
          <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
        </svg>
        <span className="sr-only">Notifications</span>
        {unread > 0 ? (
          <span className="rounded-full bg-red-600 px-1.5 text-xs font-semibold text-white" data-testid="notifications-unread">
            {unread}
          </span>
        ) : null}
      </summary>
      {/* On a phone the bell may sit at the left (the header wraps): the panel spans the screen there instead of
          hanging off its left edge from the bell's right. */}
      <div
        className="z-20 mt-2 space-y-2 rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-3 shadow-lg max-sm:fixed max-sm:inset-x-4 sm:absolute sm:right-0 sm:w-80"
        data-testid="notifications-panel"
      >
        {items.length === 0 ? (
          <p className="text-sm text-gray-500 dark:text-gray-400">No notifications.</p>
        ) : (
          <ul className="max-h-96 space-y-2 overflow-y-auto">
            {items.map((item) => (
              <li key={item.id} className={item.read ? "text-gray-500 dark:text-gray-400" : "text-gray-900 dark:text-gray-100"} data-testid="notification">
                <p className="text-sm font-medium">{item.title}</p>
                <p className="text-xs">{item.body}</p>
                <p className="text-xs text-gray-400 dark:text-gray-500">{item.when}</p>
              </li>
            ))}
          </ul>
        )}
        {unread > 0 ? (
          <form action={markReadAction}>
            <SubmitButton size="sm" variant="secondary" pendingLabel="Marking…">
              Mark all read
            </SubmitButton>
          </form>
        ) : null}
      </div>
    </details>
  );
}
