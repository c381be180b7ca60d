import { mkdirSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export type EmbeddedPostgres = { url: string; port: number; stop(): Promise<void> };

/**
 * PostgreSQL compiled to WebAssembly (PGlite), served over a loopback TCP socket so the app talks to
 * it through the same `pg` driver it uses for a real server. The socket server multiplexes clients and
 * keeps a transaction on the connection that opened it.
 */
export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number; maxConnections?: number } = {}): Promise<EmbeddedPostgres> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const db = await PGlite.create(options.dataDir ? { dataDir: options.dataDir } : {});
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: options.maxConnections ?? 32 });
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
