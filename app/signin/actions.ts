"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { isProviderId } from "@/lib/providers/catalog";

const signInSchema = z.object({
  provider: z.string().refine(isProviderId, "Unknown provider"),
  callbackUrl: z.string().optional(),
});

export async function signInAction(formData: FormData): Promise<void> {
  const input = signInSchema.parse({ provider: formData.get("provider"), callbackUrl: formData.get("callbackUrl") ?? undefined });
  await signIn(input.provider, { redirectTo: safeCallbackPath(input.callbackUrl) });
}
