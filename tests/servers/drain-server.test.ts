import { createServer, request } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, it } from "vitest";
import { parseShutdownGraceSeconds, trackInFlightRequests } from "@/lib/runtime/drain-server";

function get(port: number): Promise<{ status: number; body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ port, host: "127.0.0.1", path: "/", agent: false }, (res) => {
      let body = "";
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode!, body }));
      res.on("error", (error) => resolve({ error: error.message }));
    });
    req.on("error", (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end();
  });
}

it("answers a request in flight, refuses new connections, and cuts off what outlasts the grace period", async () => {
  let release: () => void = () => {};
  const slow = new Promise<void>((resolve) => (release = resolve));
  const server = createServer((req, res) => {
    if (req.url === "/") void slow.then(() => res.end("done"));
  });
  const { drain } = trackInFlightRequests(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  const inFlight = get(port);
  await new Promise((resolve) => server.once("request", resolve));
  const drained = drain(5_000);
  // Not listening any more: a new connection is refused, never accepted and then dropped.
  await expect.poll(() => server.listening).toBe(false);
  expect(await get(port)).toEqual({ error: "ECONNREFUSED" });
  release();
  expect(await inFlight).toEqual({ status: 200, body: "done" });
  expect(await drained).toEqual({ finished: 1, unfinished: 0 });
});

it("cuts off a request that outlasts the grace period and says so", async () => {
  const server = createServer(() => {});
  const { drain } = trackInFlightRequests(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const hanging = get((server.address() as AddressInfo).port);
  await new Promise((resolve) => server.once("request", resolve));
  expect(await drain(100)).toEqual({ finished: 0, unfinished: 1 });
  expect(await hanging).toHaveProperty("error");
});

it("reads SHUTDOWN_GRACE_SECONDS (default 20) and refuses nonsense", () => {
  expect(parseShutdownGraceSeconds(undefined)).toBe(20);
  expect(parseShutdownGraceSeconds("5")).toBe(5);
  expect(() => parseShutdownGraceSeconds("soon")).toThrow(/SHUTDOWN_GRACE_SECONDS/);
});
