import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { requestOrigin, withRequestOrigin } from "./request-origin";

const headers = (values: Record<string, string>) => new Headers(values);

describe("requestOrigin / withRequestOrigin", () => {
  it("is the host the browser opened, with the scheme Next.js forwards", () => {
    expect(requestOrigin(headers({ host: "127.0.0.1:3000" }), {})).toBe("http://127.0.0.1:3000");
    expect(requestOrigin(headers({ host: "192.168.1.20:3000", "x-forwarded-proto": "https" }), {})).toBe("https://192.168.1.20:3000");
    expect(requestOrigin(headers({ host: "[::1]:3000" }), {})).toBe("http://[::1]:3000");
    for (const host of ["evil.example/path", "a b", "x:99999999", "", "a@b", "host,other"]) expect(requestOrigin(headers({ host }), {}), host).toBeNull();
  });

  it("gives Auth.js the opened origin in trusted-host mode, and leaves the request to AUTH_URL when set", async () => {
    const request = new NextRequest("http://localhost:3000/api/auth/callback/github?code=x&state=y", { headers: { host: "127.0.0.1:3000" } });
    expect(withRequestOrigin(request, {}).url).toBe("http://127.0.0.1:3000/api/auth/callback/github?code=x&state=y");
    expect(withRequestOrigin(request, { AUTH_URL: "https://tessera.example.com" })).toBe(request);
    const post = new NextRequest("http://localhost:3000/api/auth/signin/github", {
      method: "POST",
      headers: { host: "127.0.0.1:3000", "content-type": "application/x-www-form-urlencoded" },
      body: "csrfToken=abc",
    });
    const moved = withRequestOrigin(post, {});
    expect(moved.url).toBe("http://127.0.0.1:3000/api/auth/signin/github");
    await expect(moved.text()).resolves.toBe("csrfToken=abc");
    const junk = new NextRequest("http://localhost:3000/api/auth/session", { headers: { host: "evil.example/x" } });
    expect(withRequestOrigin(junk, {}).url).toBe("http://localhost:3000/api/auth/session");
  });
});
