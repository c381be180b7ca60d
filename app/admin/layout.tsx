import type { ReactNode } from "react";
import { requireAdminViewer } from "@/lib/auth/viewer";

// Runs outside the admin loading boundary, so a non-admin gets a real 404 status before anything streams.
// Non-admins get a 404 for everything under /admin, as if it did not exist. Each page and action
// checks again on its own: layouts are not a security boundary for server actions.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminViewer();
  return <div className="space-y-6">{children}</div>;
}
