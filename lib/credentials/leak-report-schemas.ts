import { z } from "zod";

/** `POST /api/credentials/report-leak`'s answer: how many strings were received, never which were live. */
export const leakReportReceivedSchema = z
  .object({ received: z.number().int().meta({ description: "How many strings the report held (whatever they were).", example: 1 }) })
  .meta({ id: "LeakReportReceived" });
