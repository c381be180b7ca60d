"use server";

import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { markNotificationsRead } from "@/lib/notifications/list-notifications";

// Only the viewer's own notices change: markNotificationsRead filters by the viewer's id.
export const markNotificationsReadAction = withAction(
  {
    audience: "user",
    returnTo: "/settings/tokens",
    schema: z.object({
      notificationId: z
        .string()
        .regex(/^[a-z0-9]{1,40}$/)
        .optional(),
    }),
  },
  async ({ notificationId }, { viewer }) => {
    await markNotificationsRead(viewer.id, notificationId);
    return { notice: "notifications_read" };
  },
);
