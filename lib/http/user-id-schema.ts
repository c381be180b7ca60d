import { z } from "zod";

/**
 * A user id as it may appear in a path or a form. Ids are cuids (Prisma's default); anything else
 * names no user and must never reach a query: PostgreSQL refuses NUL in text with an error (a 500).
 */
export const userIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, "Unknown user");
