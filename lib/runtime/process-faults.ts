import { randomUUID } from "node:crypto";

/*
 * What an error that escapes every handler does to the process (scripts/serve.ts and scripts/start.ts).
 * A request, a socket or a stream belongs to one caller: its failure fails that caller (a 5xx, a cut-off
 * body) and the process keeps serving everyone else. Only a broken invariant of the process itself
 * (the port it serves on is gone, the database handle is lost for good) stops it, and it says which.
 * Stopping on every stray stream error let one HEAD request take down the server and the embedded
 * database with it.
 */

// A Symbol.for brand, not instanceof: the server script and the code Next bundles load separate copies of this module.
const INVARIANT = Symbol.for("tessera.processInvariant");

/** Thrown (or emitted) when the process cannot go on serving; `invariant` names what broke. */
export class ProcessInvariantError extends Error {
  readonly [INVARIANT] = true;
  constructor(
    readonly invariant: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "ProcessInvariantError";
  }
}

export function isProcessInvariantError(error: unknown): error is ProcessInvariantError {
  return typeof error === "object" && error !== null && (error as { [INVARIANT]?: unknown })[INVARIANT] === true;
}

export type FaultDecision = { stop: true; line: string } | { stop: false; line: string; incident: string };

/**
 * The decision and the log line for an uncaught exception or unhandled rejection. Message and stack
 * frames only: an error's own properties can carry request data (headers, bodies, tokens).
 */
export function judgeProcessFault(kind: "uncaught exception" | "unhandled promise rejection", error: unknown): FaultDecision {
  const detail = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
  if (isProcessInvariantError(error)) {
    return { stop: true, line: `[tessera] ${error.invariant}: ${error.message}; stopping (${kind}: ${detail})` };
  }
  const incident = randomUUID();
  return { stop: false, line: `[tessera] ${kind} (incident ${incident}), outside any request's handler; the process keeps serving: ${detail}`, incident };
}
