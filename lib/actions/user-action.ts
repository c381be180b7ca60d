import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import type { SessionUser } from "@/lib/auth/session-user";
import { requireAdminViewer, requireViewer } from "@/lib/auth/viewer";

export type ActionContext = { viewer: SessionUser; ip: string | null };

type Options = { admin?: boolean; returnTo: string };

/**
 * The one wrapper every server action goes through: authenticates the session (admins only when
 * asked), parses the form with zod, and sends bad input back to `returnTo` with an error notice
 * instead of throwing. Authorisation by owner happens in lib/, keyed on `viewer.id`.
 */
export function defineAction<S extends z.ZodType>(schema: S, options: Options, run: (input: z.infer<S>, context: ActionContext) => Promise<void>) {
  return async (formData: FormData): Promise<void> => {
    const viewer = options.admin ? await requireAdminViewer(options.returnTo) : await requireViewer(options.returnTo);
    const parsed = schema.safeParse(Object.fromEntries(formData));
    if (!parsed.success) redirect(withNotice(options.returnTo, "invalid_input"));
    await run(parsed.data, { viewer, ip: clientIp(await headers()) });
  };
}

export function withNotice(path: string, notice: string, extra: Record<string, string> = {}): string {
  const url = new URL(path, "http://x");
  url.searchParams.set("notice", notice);
  for (const [key, value] of Object.entries(extra)) url.searchParams.set(key, value);
  return url.pathname + url.search;
}
