import type { Server, ServerResponse } from "node:http";
import { Server as NetServer, type Socket } from "node:net";

/** Requests answered while draining, and requests still unanswered when the grace period ran out (cut off). */
export type DrainResult = { finished: number; unfinished: number };

type Connection = { active: number; served: number; since: number };

/** How long a connection accepted before the drain may take to send its first request. */
const FIRST_REQUEST_GRACE_MS = 1000;
const SWEEP_INTERVAL_MS = 25;

/**
 * Tracks `server`'s connections and requests, and returns `drain`: stop accepting connections, answer
 * every request already accepted (up to `graceMs`), close each connection once it has nothing in
 * flight, then cut whatever is left. Responses written while draining carry `Connection: close`.
 *
 * Not http.Server#close(): it also closes every connection without a request in progress at once,
 * including ones accepted a moment ago whose request has not been parsed yet — the client sent a
 * request and gets a reset. Here such a connection gets FIRST_REQUEST_GRACE_MS to send it.
 */
export function trackInFlightRequests(server: Server): { inFlight: () => number; drain: (graceMs: number) => Promise<DrainResult> } {
  const connections = new Map<Socket, Connection>();
  let draining = false;
  let drainStartedAt = 0;
  let accepted = 0;
  let finishedWhileDraining = 0;

  server.on("connection", (socket: Socket) => {
    accepted++;
    connections.set(socket, { active: 0, served: 0, since: Date.now() });
    socket.once("close", () => connections.delete(socket));
  });
  // Prepended: runs before the app's handler, which may write headers synchronously.
  server.prependListener("request", (req, res: ServerResponse) => {
    const connection = connections.get(req.socket);
    if (connection) connection.active++;
    if (draining) res.setHeader("connection", "close");
    res.once("close", () => {
      if (!connection) return;
      connection.active--;
      connection.served++;
      if (draining) finishedWhileDraining++;
    });
  });

  const inFlight = () => [...connections.values()].reduce((sum, connection) => sum + connection.active, 0);

  /** Closes the connections with nothing in flight (and, once their grace is over, those that never sent a request). */
  function sweep(now: number) {
    for (const [socket, connection] of connections) {
      if (connection.active > 0) continue;
      const firstRequestDue = Math.max(connection.since, drainStartedAt) + FIRST_REQUEST_GRACE_MS;
      if (connection.served > 0 || now >= firstRequestDue) socket.destroy();
    }
  }

  async function drain(graceMs: number): Promise<DrainResult> {
    draining = true;
    drainStartedAt = Date.now();
    for (const socket of connections.keys()) {
      const res = (socket as Socket & { _httpMessage?: ServerResponse })._httpMessage;
      if (res && !res.headersSent) res.setHeader("connection", "close");
    }
    await acceptPendingConnections(() => accepted);
    // net.Server's close: stop listening, keep the open connections (see above).
    const closed = new Promise<void>((resolve) => NetServer.prototype.close.call(server, () => resolve()));
    const deadline = drainStartedAt + graceMs;
    while (connections.size > 0 && Date.now() < deadline) {
      sweep(Date.now());
      await new Promise((resolve) => setTimeout(resolve, SWEEP_INTERVAL_MS));
    }
    const unfinished = inFlight();
    const finished = finishedWhileDraining;
    for (const socket of connections.keys()) socket.destroy();
    await closed;
    return { finished, unfinished };
  }

  return { inFlight, drain };
}

/**
 * Connections the kernel completed but Node has not accepted yet (the event loop was busy) would be
 * reset when the listening socket closes: the client sent its request and gets a reset. Node accepts
 * one pending connection per event-loop turn (measured: 60 queued connections took 60 turns), so
 * take turns until two in a row accept nothing; those connections are then served like any other.
 */
async function acceptPendingConnections(acceptedSoFar: () => number): Promise<void> {
  for (let turn = 0, quiet = 0; quiet < 2 && turn < 10_000; turn++) {
    const before = acceptedSoFar();
    await new Promise((resolve) => setImmediate(resolve));
    quiet = acceptedSoFar() === before ? quiet + 1 : 0;
  }
}

/** SHUTDOWN_GRACE_SECONDS (default 20): how long SIGTERM waits for requests in flight. */
export function parseShutdownGraceSeconds(value: string | undefined): number {
  if (value === undefined || value.trim() === "") return 20;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 3600)
    throw new Error(`SHUTDOWN_GRACE_SECONDS must be a number of seconds from 0 to 3600 (got "${value}")`);
  return seconds;
}
