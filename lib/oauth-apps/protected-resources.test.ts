import { describe, expect, it } from "vitest";
import { defaultScopesOf } from "./app-scopes";
import { API_RESOURCE, protectedResourceMetadataUrl, resolveResource, resourceOfPath } from "./protected-resources";

const ISSUER = "http://127.0.0.1:3000";

describe("resolveResource (RFC 8707)", () => {
  it("no resource is the API", () => {
    expect(resolveResource(undefined, ISSUER)).toBe(API_RESOURCE);
    expect(resolveResource(null, undefined)).toBe(API_RESOURCE);
  });

  it("the API's URL on the issuer's origin, with or without a trailing slash, and the issuer itself (the root metadata's resource)", () => {
    for (const value of [`${ISSUER}/api/v1`, `${ISSUER}/api/v1/`, "HTTP://127.0.0.1:3000/api/v1", `${ISSUER}`, `${ISSUER}/`])
      expect(resolveResource(value, ISSUER), value).toBe(API_RESOURCE);
    expect(resolveResource("https://tessera.example:443/api/v1", "https://tessera.example")).toBe(API_RESOURCE);
  });

  it("anything else is no resource of this server (invalid_target)", () => {
    for (const value of [
      "https://evil.example/api/v1",
      "http://localhost:3000/api/v1",
      "https://127.0.0.1:3000/api/v1",
      `${ISSUER}/api/v2`,
      `${ISSUER}/api/v1/me`,
      `${ISSUER}/api`,
      `${ISSUER}/api%2Fv1`,
      `${ISSUER}/api/v1#x`,
      `${ISSUER}/api/v1?x=1`,
      `${ISSUER}/api/v1?`,
      "http://user:pw@127.0.0.1:3000/api/v1",
      "/api/v1",
      "api/v1",
      "",
      "urn:tessera:api",
    ]) {
      expect(resolveResource(value, ISSUER), value).toBeNull();
    }
  });

  it("without an issuer to compare with, any resource is refused", () => {
    expect(resolveResource(`${ISSUER}/api/v1`, undefined)).toBeNull();
  });
});

describe("resourceOfPath and the metadata URL", () => {
  it("finds the resource a request path is under", () => {
    expect(resourceOfPath("/api/v1/me")?.path).toBe(API_RESOURCE);
    expect(resourceOfPath("/api/v1")?.path).toBe(API_RESOURCE);
    expect(resourceOfPath("/api/v10/me")).toBeNull();
    expect(resourceOfPath("/api/tokens")).toBeNull();
  });

  it("inserts the well-known segment between the origin and the path (RFC 9728 §3.1)", () => {
    expect(protectedResourceMetadataUrl(ISSUER, API_RESOURCE)).toBe(`${ISSUER}/.well-known/oauth-protected-resource/api/v1`);
  });
});

describe("defaultScopesOf (RFC 6749 §3.3)", () => {
  it("keeps the registered scopes an app may still be granted, else profile:read", () => {
    expect(defaultScopesOf(["connections:read", "profile:read", "connections:read"])).toEqual(["connections:read", "profile:read"]);
    expect(defaultScopesOf([])).toEqual(["profile:read"]);
    expect(defaultScopesOf(null)).toEqual(["profile:read"]);
    expect(defaultScopesOf(["admin", "applications:write"])).toEqual(["profile:read"]);
  });
});
