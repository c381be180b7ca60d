import { z } from "zod";

/** `GET /api/health`: 200 with `status: ok`, 503 with `degraded` when the database does not answer. */
export const healthSchema = z
  .object({
    status: z.enum(["ok", "degraded"]),
    database: z.enum(["ok", "unavailable"]),
    mode: z
      .enum(["real", "demo", "none"])
      .meta({ description: "demo: the demo identity provider (anyone can sign in as anyone) stands in for the real ones." }),
  })
  .meta({ id: "Health" });

export const livenessSchema = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });

export const readinessSchema = z
  .union([z.object({ status: z.literal("ready") }), z.object({ status: z.literal("not_ready"), reason: z.string().meta({ example: "database unreachable" }) })])
  .meta({ id: "Readiness" });
