"use server";

import { redirect } from "next/navigation";
import { z } from "zod";
import { signIn } from "@/auth";
import { safeCallbackPath } from "@/lib/api/safe-callback-path";
import { isProviderId } from "@/lib/providers/catalog";

const signInSchema = z.object({
  provider: z.string().refine(isProviderId, "Unknown provider"),
  callbackUrl: z.string().optional(),
});

export async function signInAction(formData: FormData): Promise<void> {
  // Bad input goes back to the sign-in page with an error, never a thrown ZodError (a 500 page).
  const input = signInSchema.safeParse({ provider: formData.get("provider"), callbackUrl: formData.get("callbackUrl") ?? undefined });
  if (!input.success) redirect("/signin?error=invalid_input");
  await signIn(input.data.provider, { redirectTo: safeCallbackPath(input.data.callbackUrl) });
}
