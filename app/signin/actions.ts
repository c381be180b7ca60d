"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import { withAction } from "@/lib/actions/with-action";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { isProviderId } from "@/lib/providers/catalog";

const signInSchema = z.object({
  provider: z.string().refine(isProviderId, "Unknown provider"),
  callbackUrl: z.string().max(2048).optional(),
});

// Anyone may start a sign-in; Auth.js redirects to the provider (a redirect withAction lets through).
export const signInAction = withAction({ audience: "public", returnTo: "/signin", schema: signInSchema }, async (input) => {
  await signIn(input.provider, { redirectTo: safeCallbackPath(input.callbackUrl) });
});
