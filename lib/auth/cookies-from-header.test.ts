import { describe, expect, it } from "vitest";
import { cookiesFromHeader } from "./session-user";

describe("cookiesFromHeader", () => {
  it("reads a cookie from a plain Request's Cookie header, as Auth.js's handler sees it", () => {
    const cookies = cookiesFromHeader(new Headers({ cookie: "a=1; authjs.session-token=abc%3D; other=x=y" }));
    expect(cookies.get("authjs.session-token")).toEqual({ value: "abc=" });
    expect(cookies.get("other")).toEqual({ value: "x=y" });
    expect(cookies.get("missing")).toBeUndefined();
    expect(cookiesFromHeader(new Headers()).get("a")).toBeUndefined();
    expect(cookiesFromHeader(new Headers({ cookie: "bad=%E0%A4%A" })).get("bad")).toBeUndefined();
  });
});
