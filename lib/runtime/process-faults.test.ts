import { describe, expect, it } from "vitest";
import { isProcessInvariantError, judgeProcessFault, ProcessInvariantError } from "./process-faults";

/*
 * The policy scripts/serve.ts and scripts/start.ts apply to what escapes every handler.
 * Mutation check: making judgeProcessFault answer `stop: true` for every error (the old "any uncaught
 * exception stops the process") makes the first test fail.
 */
describe("judgeProcessFault", () => {
  it("keeps serving after one request's stream error (the HEAD crash: undici's RequestAbortedError), naming an incident", () => {
    const aborted = Object.assign(new Error("Request aborted"), { name: "AbortError", code: "UND_ERR_ABORTED" });
    const decision = judgeProcessFault("uncaught exception", aborted);
    expect(decision.stop).toBe(false);
    expect(decision.line).toMatch(/incident [0-9a-f-]{36}.*keeps serving.*Request aborted/s);
    expect(judgeProcessFault("unhandled promise rejection", "a string reason").stop).toBe(false);
  });

  it("stops on a broken invariant of the process and says which", () => {
    const decision = judgeProcessFault("uncaught exception", new ProcessInvariantError("port gone", "the app server cannot serve on port 3000 (EADDRINUSE)"));
    expect(decision.stop).toBe(true);
    expect(decision.line).toContain("port gone: the app server cannot serve on port 3000 (EADDRINUSE); stopping");
  });

  it("recognises an invariant error from another copy of the module (the brand, not instanceof)", () => {
    const foreign = Object.assign(new Error("x"), { [Symbol.for("tessera.processInvariant")]: true, invariant: "database lost" });
    expect(isProcessInvariantError(foreign)).toBe(true);
    expect(isProcessInvariantError(new Error("x"))).toBe(false);
  });

  it("logs the message and stack only, never an error's own properties (they can carry request data)", () => {
    const error = Object.assign(new Error("socket hang up"), { headers: { authorization: "Bearer planted-token-value" } });
    expect(judgeProcessFault("uncaught exception", error).line).not.toContain("planted-token-value");
  });
});
