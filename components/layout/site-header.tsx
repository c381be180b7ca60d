import Link from "next/link";
import type { Viewer } from "@/lib/auth/viewer";
import { buttonClasses } from "@/components/ui/button";
import { SubmitButton } from "@/components/ui/submit-button";

export function SiteHeader({ viewer, signOutAction }: { viewer: Viewer; signOutAction: () => Promise<void> }) {
  const links = [
    { href: "/settings/connections", label: "Connections" },
    { href: "/settings/tokens", label: "Tokens" },
    ...(viewer?.role === "ADMIN" ? [{ href: "/admin", label: "Admin" }] : []),
  ];
  return (
    <header className="border-b border-gray-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center justify-between gap-3 px-4 py-3">
        <div className="flex items-center gap-6">
          <Link href="/" className="flex items-center gap-2 font-semibold text-gray-900">
            <svg aria-hidden viewBox="0 0 24 24" className="h-6 w-6 text-indigo-600" fill="currentColor">
              <rect x="3" y="3" width="8" height="8" rx="1.5" />
              <rect x="13" y="3" width="8" height="8" rx="1.5" opacity=".6" />
              <rect x="3" y="13" width="8" height="8" rx="1.5" opacity=".6" />
              <rect x="13" y="13" width="8" height="8" rx="1.5" />
            </svg>
            Tessera
          </Link>
          {viewer ? (
            <nav aria-label="Main" className="flex gap-4 text-sm">
              {links.map((link) => (
                <Link key={link.href} href={link.href} className="text-gray-600 hover:text-gray-900">
                  {link.label}
                </Link>
              ))}
            </nav>
          ) : null}
        </div>
        {viewer ? (
          <div className="flex items-center gap-3 text-sm">
            <span className="text-gray-600" data-testid="viewer-email">
              {viewer.name ?? viewer.email}
            </span>
            <form action={signOutAction}>
              <SubmitButton size="sm" variant="secondary">
                Sign out
              </SubmitButton>
            </form>
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
