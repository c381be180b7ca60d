/*
 * Node module-resolution hook (registered by scripts/server-only-hook.mjs): resolves the `server-only`
 * marker package with the `react-server` export condition, so it loads its empty module instead of
 * throwing. Only that one specifier gets the condition: a global --conditions=react-server would also
 * change how React resolves, and scripts/serve.ts runs Next in the same process.
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== "server-only") return nextResolve(specifier, context);
  return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
}
