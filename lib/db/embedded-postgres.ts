import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; port: number; stop(): Promise<void> };

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over a loopback TCP socket so the app talks to
 * it through the same `pg` driver it uses for a real server. The socket server multiplexes clients and
 * keeps a transaction on the connection that opened it.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; maxConnections?: number } = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  // pg_trgm: the admin user search's trigram indexes (issue 26); a real PostgreSQL ships it in contrib.
  const db = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { pg_trgm } });
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: options.maxConnections ?? 32 });
  pinClientUntilSync(server, db);
  await server.start();
  const port = readPort(server);
  let stopped: Promise<void> | undefined;
  return {
    port,
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      // Stop accepting clients first, then close PGlite so its data directory is flushed and consistent.
      stopped ??= (async () => {
        await server.stop();
        await db.close();
      })();
      return stopped;
    },
  };
}

function readPort(server: PGLiteSocketServer): number {
  const address = (server as unknown as { server?: { address(): { port: number } | string | null } }).server?.address();
  if (address && typeof address === "object") return address.port;
  const conn = (server as unknown as { getServerConn?: () => string }).getServerConn?.();
  const port = conn ? Number(conn.split(":").pop()) : NaN;
  if (!Number.isFinite(port)) throw new Error("could not read the embedded PostgreSQL port");
  return port;
}

// Extended-protocol messages that leave a batch open on the single session until the client's Sync.
const OPENS_BATCH = new Set(["P", "B", "D", "E", "C", "H"].map((c) => c.charCodeAt(0)));
const ENDS_BATCH = new Set(["S", "Q", "X"].map((c) => c.charCodeAt(0)));

type QueueDb = Pick<PGlite, "isInTransaction" | "runExclusive" | "execProtocolRawStream" | "exec">;

/**
 * pglite-socket queues every protocol message on its own and pins a client to the one PGlite session
 * only while a transaction is open (electric-sql/pglite#1046, 0.2.17). Two clients' Parse/Bind/Sync
 * batches then interleave and one binds to the other's unnamed statement: an error, or another query's
 * rows. Its queue already keeps serving the last client while `isInTransaction()` is true, so the queue
 * is given a view of the database where an unfinished batch counts as one.
 */
function pinClientUntilSync(server: PGLiteSocketServer, db: PGlite): void {
  const queue = (server as unknown as { queryQueue?: { db: QueueDb } }).queryQueue;
  if (!queue || queue.db !== db) throw new Error("pglite-socket's query queue changed shape: recheck pinClientUntilSync");
  let batchOpen = false;
  const view: QueueDb = {
    isInTransaction: () => batchOpen || db.isInTransaction(),
    runExclusive: (fn) => db.runExclusive(fn),
    execProtocolRawStream: async (message, options) => {
      const type = message[0];
      try {
        return await db.execProtocolRawStream(message, options);
      } finally {
        if (type !== undefined && OPENS_BATCH.has(type)) batchOpen = true;
        if (type !== undefined && ENDS_BATCH.has(type)) batchOpen = false;
      }
    },
    // Called when a pinned client disconnects (to roll back): its batch is over too.
    exec: (query, options) => {
      batchOpen = false;
      return db.exec(query, options);
    },
  };
  queue.db = view;
}
