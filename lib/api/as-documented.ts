import type { z } from "zod";

/**
 * A response body through the zod schema the API reference documents for it (lib/api-docs): the
 * compiler checks the route's object against the schema, and at run time keys the schema does not
 * declare are dropped, so a new column cannot slip into a response undocumented. A mismatch is our
 * bug, not the caller's: a plain Error (a 500, logged), never the ZodError that would read as a 400.
 */
export function asDocumented<S extends z.ZodType>(schema: S, data: z.input<S>): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new Error(`response does not match its documented schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
