import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { withoutInvalidCallbackUrls } from "./without-invalid-callback-urls";

const request = (path: string, cookie?: string) => new NextRequest(new URL(path, "http://localhost:3000"), { headers: cookie ? { cookie } : {} });

describe("withoutInvalidCallbackUrls", () => {
  it("passes valid callback URLs (paths and http(s) URLs) through untouched", () => {
    const original = request("/api/auth/signin/google?callbackUrl=%2Fsettings", "authjs.callback-url=http%3A%2F%2Flocalhost%3A3000%2Fsettings; other=1");
    expect(withoutInvalidCallbackUrls(original)).toBe(original);
  });

  it("drops a callbackUrl parameter that is not an http(s) URL, keeping the rest of the query", () => {
    const cleaned = withoutInvalidCallbackUrls(request("/api/auth/session?callbackUrl=javascript%3Aalert(1)&x=1"));
    expect(cleaned.nextUrl.searchParams.get("callbackUrl")).toBeNull();
    expect(cleaned.nextUrl.searchParams.get("x")).toBe("1");
  });

  it("drops an invalid callback-url cookie (even one that cannot be percent-decoded) and keeps the others", () => {
    const cleaned = withoutInvalidCallbackUrls(
      request(
        "/api/auth/callback/github",
        "authjs.session-token=abc; authjs.callback-url=%E0%A4%A; __Secure-authjs.callback-url=ftp%3A%2F%2Fx; authjs.csrf-token=def",
      ),
    );
    expect(
      cleaned.headers
        .get("cookie")
        ?.split(";")
        .map((c) => c.trim()),
    ).toEqual(["authjs.session-token=abc", "authjs.csrf-token=def"]);
  });
});
