import { cookies, headers } from "next/headers";
import { redirect, unstable_rethrow } from "next/navigation";
import { z } from "zod";
import { clientIp } from "@/lib/http/client-ip";
import { confirmItsYouPath, hasRecentSignIn } from "@/lib/auth/require-recent-sign-in";
import { readSessionToken, type SessionUser } from "@/lib/auth/session-user";
import { getViewer, requireAdminViewer, requireViewer, type Viewer } from "@/lib/auth/viewer";
import { logger } from "@/lib/log/logger";
import { isCatalogueProvider } from "@/lib/providers/catalog";
import { isNoticeCode, noticeUrl, type NoticeCode, type NoticeParams } from "./notices";

/** public: anyone (sign-in, sign-out); user: a signed-in person (else off to /signin); admin: admins (anyone else: 404). */
export type ActionAudience = "public" | "user" | "admin";

export type ActionContext<A extends ActionAudience> = { viewer: A extends "public" ? Viewer : SessionUser; ip: string | null };

/** What an action leaves for the next page; `to` overrides the action's returnTo. */
export type ActionOutcome = { notice: NoticeCode; params?: NoticeParams; to?: string };

type ActionOptions<S extends z.ZodType, A extends ActionAudience> = {
  audience: A;
  schema: S;
  /** The page that shows this action's notices; a function gets the raw (unvalidated) form fields. */
  returnTo: string | ((fields: Record<string, unknown>) => string);
  /** Sudo mode (lib/auth/require-recent-sign-in.ts): without a recent sign-in, off to "Confirm it's you" and back to returnTo. */
  recentSignIn?: true;
};

/** Set (non-enumerable) on every action withAction returns; the authorisation matrix test looks for it. */
export const SERVER_ACTION = Symbol.for("tessera.withAction");

/**
 * The one wrapper every server action goes through: checks the audience, parses the form with zod and
 * runs the action. Whatever happens, the browser lands on a page with a notice from the catalogue:
 * bad input and domain failures become their notice, anything unexpected is logged and becomes
 * `unexpected_error`, never an error page. Next's own redirect/notFound pass through untouched.
 * Authorisation by owner happens in lib/, keyed on `viewer.id`.
 */
export function withAction<S extends z.ZodType, A extends ActionAudience>(
  options: ActionOptions<S, A>,
  run: (input: z.infer<S>, context: ActionContext<A>) => Promise<ActionOutcome | void>,
): (formData: FormData) => Promise<void> {
  const action = async (formData: FormData): Promise<void> => {
    const fields = formData instanceof FormData ? Object.fromEntries(formData) : {};
    const returnTo = typeof options.returnTo === "function" ? options.returnTo(fields) : options.returnTo;
    let outcome: ActionOutcome | void;
    try {
      const viewer =
        options.audience === "public" ? await getViewer() : options.audience === "admin" ? await requireAdminViewer(returnTo) : await requireViewer(returnTo);
      if (options.recentSignIn && !(await hasRecentSignIn(readSessionToken(await cookies(), await headers())))) redirect(confirmItsYouPath(returnTo));
      const parsed = options.schema.safeParse(fields);
      outcome = parsed.success
        ? await run(parsed.data, { viewer: viewer as ActionContext<A>["viewer"], ip: clientIp(await headers()) })
        : { notice: "invalid_input" };
    } catch (error) {
      unstable_rethrow(error);
      outcome = outcomeFor(error);
    }
    if (outcome) redirect(noticeUrl(outcome.to ?? returnTo, outcome.notice, outcome.params));
  };
  Object.defineProperty(action, SERVER_ACTION, {
    value: Object.freeze({ audience: options.audience, ...(options.recentSignIn ? { recentSignIn: true } : {}) }),
  });
  return action;
}

function outcomeFor(error: unknown): ActionOutcome {
  if (error instanceof z.ZodError) return { notice: "invalid_input" };
  const { code, provider } = error instanceof Error ? (error as { code?: unknown; provider?: unknown }) : {};
  // Domain errors (lib/*/errors.ts) carry a stable code; the catalogue has a message for each one we expect.
  if (isNoticeCode(code) && code !== "unexpected_error") return { notice: code, params: isCatalogueProvider(provider) ? { provider } : {} };
  logger.error({ err: error }, "server action failed");
  return { notice: "unexpected_error" };
}
