import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";
import { NavLinks, type NavLink } from "./nav-links";
import { NotificationsMenu, type HeaderNotification } from "./notifications-menu";

/** What the header needs to know about the signed-in person (a `SessionUser` fits). */
export type HeaderViewer = { name: string | null; email: string | null; role: string };

/** The Tessera mark: four tiles, two of them filled. */
function BrandMark() {
  return (
    <svg aria-hidden="true" viewBox="0 0 24 24" className="size-6 text-indigo-600 dark:text-indigo-400" fill="currentColor">
      <rect x="3" y="3" width="8" height="8" rx="1.5" />
      <rect x="13" y="3" width="8" height="8" rx="1.5" opacity=".45" />
      <rect x="3" y="13" width="8" height="8" rx="1.5" opacity=".45" />
      <rect x="13" y="13" width="8" height="8" rx="1.5" />
    </svg>
  );
}

/**
 * Brand, navigation (Admin only for admins) and who is signed in. Sign-out posts to
 * `signOutAction` (a server action, so Auth.js's CSRF check is not needed); without one it links
 * to Auth.js's own sign-out page.
 */
export function SiteHeader({
  viewer,
  signOutAction,
  notifications,
}: {
  viewer: HeaderViewer | null | undefined;
  signOutAction?: (formData: FormData) => void | Promise<void>;
  notifications?: { items: HeaderNotification[]; unread: number; markReadAction: (formData: FormData) => void | Promise<void> };
}) {
  const links: NavLink[] = [
    { href: "/settings/connections", label: "Connections" },
    { href: "/settings/tokens", label: "Tokens" },
    { href: "/settings/sessions", label: "Sessions" },
    { href: "/settings/applications", label: "Applications" },
    { href: "/settings/security", label: "Security" },
    ...(viewer?.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : []),
    { href: "/docs", label: "API" },
  ];
  const displayName = viewer?.name ?? viewer?.email ?? "Signed in";

  return (
    <header className="border-b border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-x-6 gap-y-2 px-4 py-3">
        <div className="flex flex-wrap items-center gap-x-6 gap-y-2">
          <Link
            href="/"
            className="flex items-center gap-2 rounded-md text-lg font-semibold tracking-tight text-gray-900 dark:text-gray-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400"
          >
            <BrandMark />
            Tessera
          </Link>
          <NavLinks links={links} />
        </div>
        {viewer ? (
          <div className="flex items-center gap-3 text-sm">
            {notifications ? <NotificationsMenu {...notifications} /> : null}
            <div className="text-right leading-tight">
              <div className="font-medium text-gray-900 dark:text-gray-100" data-testid="viewer-email">
                {displayName}
              </div>
              {viewer.name && viewer.email ? <div className="text-xs text-gray-500 dark:text-gray-400">{viewer.email}</div> : null}
            </div>
            {signOutAction ? (
              <form action={signOutAction}>
                <SubmitButton size="sm" variant="secondary" pendingLabel="Signing out…">
                  Sign out
                </SubmitButton>
              </form>
            ) : (
              // eslint-disable-next-line @next/next/no-html-link-for-pages -- Auth.js route handler (its own CSRF-protected form), not a page
              <a href="/api/auth/signout" className={buttonClasses("secondary", "sm")}>
                Sign out
              </a>
            )}
          </div>
        ) : (
          <Link href="/signin" className={buttonClasses("primary", "sm")}>
            Sign in
          </Link>
        )}
      </div>
    </header>
  );
}
