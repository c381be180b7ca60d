import type { ReactNode } from "react";
import { requireAdminViewer } from "@/lib/auth/viewer";

// Non-admins get a 404 for everything under /admin, as if it did not exist. No loading.tsx wraps
// this layout, so the check finishes before anything streams and the status really is 404. Each page
// and action checks again on its own: layouts are not a security boundary for server actions.
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await requireAdminViewer();
  return <div className="space-y-6">{children}</div>;
}
