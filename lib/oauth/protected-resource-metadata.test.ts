import { describe, expect, it } from "vitest";
import { APP_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { protectedResourceMetadata } from "./protected-resource-metadata";

const ISSUER = "https://tessera.example";

describe("protectedResourceMetadata (RFC 9728)", () => {
  it("the API's document names the URL it was derived from (§3.3), Tessera as its server and the app scopes", () => {
    expect(protectedResourceMetadata(ISSUER, "/.well-known/oauth-protected-resource/api/v1")).toEqual({
      resource: `${ISSUER}/api/v1`,
      authorization_servers: [ISSUER],
      scopes_supported: [...APP_SCOPES],
      bearer_methods_supported: ["header"],
      resource_name: "Tessera API",
    });
  });

  it("the root form describes the issuer itself", () => {
    expect(protectedResourceMetadata(ISSUER, "/.well-known/oauth-protected-resource")).toMatchObject({
      resource: ISSUER,
      authorization_servers: [ISSUER],
      scopes_supported: [...APP_SCOPES],
    });
  });

  it("another path names nothing", () => {
    for (const path of [
      "/.well-known/oauth-protected-resource/api",
      "/.well-known/oauth-protected-resource/api/v1/me",
      "/.well-known/oauth-protected-resource/mcp/tools",
      "/.well-known/oauth-protected-resourcex",
    ]) {
      expect(protectedResourceMetadata(ISSUER, path), path).toBeNull();
    }
  });
});
