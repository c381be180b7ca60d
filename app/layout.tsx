import type { Metadata } from "next";
import type { ReactNode } from "react";
import { DemoBanner } from "@/components/layout/demo-banner";
import { SiteFooter } from "@/components/layout/site-footer";
import { SiteHeader } from "@/components/layout/site-header";
import { getViewer, isDemoIdentityProvider } from "@/lib/auth/viewer";
import { listNotifications } from "@/lib/notifications/list-notifications";
import { listDemoConnectProviderLabels } from "@/lib/providers/catalog";
import { formatRelativeTime } from "@/lib/ui/format";
import { markNotificationsReadAction } from "./actions/notifications";
import { signOutAction } from "./actions/sign-out";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Tessera", template: "%s · Tessera" },
  description: "Tessera holds the keys people hand to software: connected accounts, personal access tokens, and the admin view over both.",
};

// Every page depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const viewer = await getViewer();
  const notices = viewer ? await listNotifications(viewer.id, { take: 10 }) : null;
  const notifications = notices
    ? {
        items: notices.items.map((n) => ({ id: n.id, title: n.title, body: n.body, read: n.read, when: formatRelativeTime(n.createdAt) })),
        unread: notices.unread,
        markReadAction: markNotificationsReadAction,
      }
    : undefined;
  return (
    <html lang="en">
      <body className="flex min-h-screen flex-col bg-gray-50 dark:bg-gray-950 font-sans text-gray-900 dark:text-gray-100 antialiased">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white dark:focus:bg-gray-900 focus:px-3 focus:py-2 focus:text-sm focus:font-medium focus:shadow"
        >
          Skip to content
        </a>
        <DemoBanner show={isDemoIdentityProvider()} connectProviders={listDemoConnectProviderLabels()} />
        <SiteHeader viewer={viewer} signOutAction={signOutAction} notifications={notifications} />
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 focus:outline-none">
          {children}
        </main>
        <SiteFooter />
      </body>
    </html>
  );
}
