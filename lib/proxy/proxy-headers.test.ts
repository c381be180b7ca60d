import { describe, expect, it } from "vitest";
import { downstreamResponseHeaders } from "./proxy-headers";

describe("downstreamResponseHeaders", () => {
  it("drops credential-bearing headers and makes a shared cache key the answer by caller and person", () => {
    const headers = downstreamResponseHeaders({
      "content-type": "application/json",
      "cache-control": "public, max-age=60",
      "set-cookie": "sid=1",
      "www-authenticate": "Bearer",
      vary: "Accept",
    });
    expect(headers.get("content-type")).toBe("application/json");
    expect(headers.get("set-cookie")).toBeNull();
    expect(headers.get("www-authenticate")).toBeNull();
    expect(headers.get("vary")).toContain("Tessera-On-Behalf-Of");
    expect(headers.get("vary")).toContain("Authorization");
  });
});
