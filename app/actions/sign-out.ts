"use server";

import { z } from "zod";
import { signOut } from "@/auth";
import { withAction } from "@/lib/actions/with-action";

// Public: signing out without a session (a stale tab) is harmless and still lands on the home page.
export const signOutAction = withAction({ audience: "public", returnTo: "/", schema: z.object({}) }, async () => {
  await signOut({ redirectTo: "/" });
});
