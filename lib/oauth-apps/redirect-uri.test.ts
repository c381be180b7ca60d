import { describe, expect, it } from "vitest";
import { createApplicationSchema } from "./create-application";
import { checkRedirectUri, matchesRegisteredRedirectUri } from "./redirect-uri";

const PUBLIC = { confidential: false };
const CONFIDENTIAL = { confidential: true };

describe("checkRedirectUri", () => {
  it.each([
    "https://app.example/callback",
    "https://app.example:8443/cb?x=1",
    "http://127.0.0.1/callback",
    "http://127.0.0.1:8080/callback",
    "http://[::1]:3000/cb",
    "http://localhost",
    "http://localhost:8080/oauth/callback?client=cli",
  ])("accepts %s for any client", (uri) => {
    expect(checkRedirectUri(uri, PUBLIC)).toBeNull();
    expect(checkRedirectUri(uri, CONFIDENTIAL)).toBeNull();
  });

  it.each([
    "http://app.example/callback",
    "http://127.1/cb",
    "http://LOCALHOST/cb",
    "http://localhost.example/cb",
    "http://0x7f000001/cb",
    "http://127.0.0.2/cb",
    "http://[::2]/cb",
  ])("refuses plain http on %s, naming the loopback hosts", (uri) =>
    expect(checkRedirectUri(uri, PUBLIC)).toMatch(/http only for http:\/\/127\.0\.0\.1, http:\/\/\[::1\] or http:\/\/localhost/),
  );

  it("lets only public clients register a reverse-domain private-use scheme", () => {
    expect(checkRedirectUri("com.example.app:/callback", PUBLIC)).toBeNull();
    expect(checkRedirectUri("com.example.app:/callback", CONFIDENTIAL)).toMatch(/only for public clients/);
    // Defaults to the permissive (public) reading: create-application checks again with the real kind.
    expect(checkRedirectUri("com.example.app:/callback")).toBeNull();
  });

  it.each(["myapp:/callback", "javascript:alert(1)", "data:text/html,hi", "file:///etc/passwd", "ftp://files.example/cb", "Com.Example.App:/cb"])(
    "refuses %s (no dot in the scheme, or not a private-use scheme)",
    (uri) => expect(checkRedirectUri(uri, PUBLIC)).toMatch(/must use https/),
  );

  it("refuses fragments, credentials, relative and non-ASCII URIs", () => {
    expect(checkRedirectUri("https://app.example/cb#frag")).toMatch(/fragment/);
    expect(checkRedirectUri("http://127.0.0.1:80/cb#")).toMatch(/fragment/);
    expect(checkRedirectUri("com.example.app:/cb#x")).toMatch(/fragment/);
    expect(checkRedirectUri("https://user:pw@app.example/cb")).toMatch(/credentials/);
    expect(checkRedirectUri("http://user@127.0.0.1/cb")).toMatch(/credentials/);
    expect(checkRedirectUri("/callback")).toMatch(/absolute/);
    expect(checkRedirectUri("https://app.example/caf\u00e9")).toMatch(/printable ASCII/);
    expect(checkRedirectUri("http://127.0.0.1\\@evil.example/cb")).toMatch(/printable ASCII/);
    expect(checkRedirectUri(`https://app.example/${"a".repeat(2000)}`)).toMatch(/2000/);
  });
});

describe("createApplicationSchema", () => {
  const input = (redirectUris: string[], confidential: boolean) => ({ name: "Native", redirectUris, confidential });

  it("accepts a private-use scheme for a public app", () => {
    expect(createApplicationSchema.safeParse(input(["com.example.app:/cb", "http://127.0.0.1/cb"], false)).success).toBe(true);
  });

  it("refuses a private-use scheme for a confidential app, pointing at the URI", () => {
    const parsed = createApplicationSchema.safeParse(input(["https://app.example/cb", "com.example.app:/cb"], true));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues).toEqual([expect.objectContaining({ path: ["redirectUris", 1], message: expect.stringMatching(/only for public clients/) })]);
  });

  it("refuses plain http on a non-loopback host with a clear message", () => {
    const parsed = createApplicationSchema.safeParse(input(["http://app.example/cb"], false));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/^redirect URI may use http only for/);
  });
});

describe("matchesRegisteredRedirectUri", () => {
  const match = (registered: string[], presented: string) => matchesRegisteredRedirectUri(registered, presented);

  it("matches a registered URI exactly", () => {
    expect(match(["https://app.example/cb"], "https://app.example/cb")).toBe(true);
    expect(match(["https://app.example/cb", "http://127.0.0.1/cb"], "http://127.0.0.1/cb")).toBe(true);
  });

  it("lets a loopback IP literal take any port (RFC 8252 §7.3)", () => {
    expect(match(["http://127.0.0.1/callback"], "http://127.0.0.1:54321/callback")).toBe(true);
    expect(match(["http://127.0.0.1:8080/callback"], "http://127.0.0.1:54321/callback")).toBe(true);
    expect(match(["http://127.0.0.1:8080/callback"], "http://127.0.0.1/callback")).toBe(true);
    expect(match(["http://127.0.0.1:8080/callback"], "http://127.0.0.1:1/callback")).toBe(true);
    expect(match(["http://127.0.0.1:8080/callback"], "http://127.0.0.1:65535/callback")).toBe(true);
    expect(match(["http://[::1]/cb"], "http://[::1]:61000/cb")).toBe(true);
    expect(match(["http://[::1]:3000/cb?client=cli"], "http://[::1]:4000/cb?client=cli")).toBe(true);
  });

  it("treats localhost like the literals, but only matches localhost", () => {
    expect(match(["http://localhost/cb"], "http://localhost:3000/cb")).toBe(true);
    expect(match(["http://localhost:8080"], "http://localhost:9090")).toBe(true);
    expect(match(["http://localhost/cb"], "http://127.0.0.1:3000/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://localhost:3000/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://[::1]:3000/cb")).toBe(false);
    expect(match(["http://[::1]/cb"], "http://127.0.0.1/cb")).toBe(false);
  });

  it("refuses ports that are not ports", () => {
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:0/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:65536/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:99999/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:+80/cb")).toBe(false);
  });

  it("requires the path and query to match exactly", () => {
    const registered = ["http://127.0.0.1/callback?x=1"];
    expect(match(registered, "http://127.0.0.1:5000/callback?x=1")).toBe(true);
    expect(match(registered, "http://127.0.0.1:5000/callback")).toBe(false);
    expect(match(registered, "http://127.0.0.1:5000/callback?x=1&y=2")).toBe(false);
    expect(match(registered, "http://127.0.0.1:5000/callback/?x=1")).toBe(false);
    expect(match(registered, "http://127.0.0.1:5000/Callback?x=1")).toBe(false);
    expect(match(registered, "http://127.0.0.1:5000/a/../callback?x=1")).toBe(false);
    expect(match(registered, "http://127.0.0.1:5000/callback%3Fx=1")).toBe(false);
    expect(match(["http://localhost"], "http://localhost:5000/")).toBe(false);
    expect(match(["http://localhost/"], "http://localhost:5000")).toBe(false);
  });

  it("never lets https or other hosts take another port", () => {
    expect(match(["https://app.example/cb"], "https://app.example:8443/cb")).toBe(false);
    expect(match(["https://127.0.0.1/cb"], "https://127.0.0.1:8443/cb")).toBe(false);
    expect(match(["https://localhost/cb"], "https://localhost:8443/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "https://127.0.0.1:8443/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "HTTP://127.0.0.1:8443/cb")).toBe(false);
    expect(match(["http://localhost/cb"], "http://LOCALHOST:8443/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.1:8443/cb")).toBe(false);
  });

  it("refuses userinfo and fragments on a loopback URI", () => {
    expect(match(["http://127.0.0.1/cb"], "http://user@127.0.0.1:5000/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:5000@evil.example/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:5000/cb#frag")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:5000/cb#")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "http://127.0.0.1:5000\\@evil.example/cb")).toBe(false);
  });

  it("matches a private-use scheme exactly", () => {
    expect(match(["com.example.app:/cb"], "com.example.app:/cb")).toBe(true);
    expect(match(["com.example.app:/cb"], "com.example.app:/cb/")).toBe(false);
    expect(match(["com.example.app:/cb"], "com.example.app://cb")).toBe(false);
    expect(match(["com.example.app:/cb"], "com.example.other:/cb")).toBe(false);
  });

  it("matches nothing when nothing is registered or the presented URI is empty", () => {
    expect(match([], "http://127.0.0.1:5000/cb")).toBe(false);
    expect(match(["http://127.0.0.1/cb"], "")).toBe(false);
  });
});
