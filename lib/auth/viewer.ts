import { cookies, headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { getProviderMode } from "@/lib/providers/catalog";
import { findSessionUser, readSessionToken, type SessionUser } from "./session-user";

export type Viewer = SessionUser | null;

/** The signed-in person for this request, read once per server-component tree. */
export const getViewer = cache(async (): Promise<Viewer> => {
  return findSessionUser(readSessionToken(await cookies(), await headers()));
});

/** For pages and server actions: the viewer, or off to sign-in. */
export async function requireViewer(callbackPath = "/"): Promise<SessionUser> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/signin?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return viewer;
}

/** For admin pages and actions: non-admins see a 404, as if the page did not exist. */
export async function requireAdminViewer(callbackPath = "/admin"): Promise<SessionUser> {
  const viewer = await requireViewer(callbackPath);
  if (viewer.role !== "ADMIN") notFound();
  return viewer;
}

/** True while the local demo identity provider stands in for Google, Microsoft and GitHub. */
export function isDemoIdentityProvider(): boolean {
  return getProviderMode() === "demo";
}

/** The session cookie's value for this request (which session is "this device"), or null. */
export async function getViewerSessionToken(): Promise<string | null> {
  return readSessionToken(await cookies(), await headers());
}
