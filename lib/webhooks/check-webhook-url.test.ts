import { afterEach, describe, expect, it, vi } from "vitest";

const lookup = vi.hoisted(() => vi.fn());
vi.mock("node:dns/promises", () => ({ lookup }));

const { checkWebhookUrl, DNS_TIMEOUT_MS, PRIVATE_ADDRESS_REASON } = await import("./check-webhook-url");

afterEach(() => {
  vi.useRealTimers();
  lookup.mockReset();
});

describe("checkWebhookUrl's DNS lookup", () => {
  it("a resolver that never answers is a refusal after DNS_TIMEOUT_MS, not a request held forever", async () => {
    vi.useFakeTimers();
    lookup.mockReturnValue(new Promise(() => {}));
    const checking = checkWebhookUrl("https://hooks.example.com/tessera");
    await vi.advanceTimersByTimeAsync(DNS_TIMEOUT_MS);
    expect(await checking).toEqual({ ok: false, reason: `the host name did not resolve within ${DNS_TIMEOUT_MS} ms` });
  });

  it("a public answer passes; a private one or no answer is refused", async () => {
    lookup.mockResolvedValueOnce([{ address: "93.184.215.14", family: 4 }]);
    expect((await checkWebhookUrl("https://hooks.example.com/tessera")).ok).toBe(true);
    lookup.mockResolvedValueOnce([{ address: "10.0.0.7", family: 4 }]);
    expect((await checkWebhookUrl("https://hooks.example.com/tessera")).ok).toBe(false);
    lookup.mockRejectedValueOnce(Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" }));
    expect(await checkWebhookUrl("https://nowhere.example.com/")).toEqual({ ok: false, reason: "the host name does not resolve" });
  });

  // Mutation check: `addresses.every(allowed)` → `addresses.some(allowed)` in check-webhook-url.ts makes this fail.
  it("one private answer among public ones refuses the host: the connection could be made to any of them", async () => {
    lookup.mockResolvedValueOnce([
      { address: "93.184.215.14", family: 4 },
      { address: "64:ff9b::a9fe:a9fe", family: 6 },
    ]);
    expect(await checkWebhookUrl("https://hooks.example.com/tessera")).toEqual({ ok: false, reason: PRIVATE_ADDRESS_REASON });
  });
});
