import type { z } from "zod";

type KeysOf<S> = S extends unknown ? keyof S : never;
type PropOf<S, K> = S extends unknown ? (K extends keyof S ? S[K] : never) : never;
type ElementOf<S> = S extends readonly (infer E)[] ? E : never;

/** `D` with every key the documented shape `S` lacks turned into `never`, at any depth: such a key is a compile error. */
type NoUndocumentedKeys<D, S> = D extends Date
  ? D
  : D extends readonly unknown[]
    ? { [I in keyof D]: NoUndocumentedKeys<D[I], ElementOf<S>> }
    : D extends object
      ? { [K in keyof D]: K extends KeysOf<S> ? NoUndocumentedKeys<D[K], PropOf<S, K>> : never }
      : D;

/**
 * A response body through the zod schema the API reference documents for it (lib/api-docs): the
 * compiler checks the route's object against the schema, both ways (a missing field, and a field the
 * schema does not declare, are type errors), and at run time undeclared keys are dropped, so a new
 * column cannot slip into a response undocumented. A mismatch is our bug, not the caller's: a plain
 * Error (a 500, logged), never the ZodError that would read as a 400.
 */
export function asDocumented<S extends z.ZodType, D extends z.input<S>>(schema: S, data: D & NoUndocumentedKeys<D, z.input<S>>): z.output<S> {
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new Error(`response does not match its documented schema: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return parsed.data;
}
