import { afterEach, describe, expect, it, vi } from "vitest";
import { checkClientIdUrl, checkClientMetadataDocument, isClientMetadataDocumentUrl } from "./client-metadata-document";
import { cacheSeconds, DEFAULT_CACHE_SECONDS, MAX_CACHE_SECONDS, MIN_CACHE_SECONDS } from "./fetch-client-metadata-document";

afterEach(() => vi.unstubAllEnvs());

describe("cacheSeconds", () => {
  it.each([
    [null, DEFAULT_CACHE_SECONDS],
    ["", DEFAULT_CACHE_SECONDS],
    ["public", DEFAULT_CACHE_SECONDS],
    ["max-age=600", 600],
    ["public, max-age=600, must-revalidate", 600],
    ["MAX-AGE=600", 600],
    ["max-age=0", MIN_CACHE_SECONDS],
    ["max-age=5", MIN_CACHE_SECONDS],
    ["max-age=99999999", MAX_CACHE_SECONDS],
    ["max-age=9999999999999999999", DEFAULT_CACHE_SECONDS],
    ["max-age=abc", DEFAULT_CACHE_SECONDS],
    ["no-store", MIN_CACHE_SECONDS],
    ["max-age=600, no-cache", MIN_CACHE_SECONDS],
  ])("%j → %i s", (header, seconds) => expect(cacheSeconds(header)).toBe(seconds));
});

describe("checkClientIdUrl", () => {
  it.each(["https://client.example/client.json", "https://client.example/oauth/metadata?v=1", "https://client.example:8443/c"])("accepts %s", (url) =>
    expect(checkClientIdUrl(url).ok).toBe(true),
  );
  it.each([
    ["http://client.example/client.json", /https/],
    ["https://client.example/", /path/],
    ["https://client.example", /path/],
    ["https://user:pw@client.example/c.json", /credentials/],
    ["https://client.example/c.json#frag", /fragment/],
    ["https://client.example/a/../c.json", /\. or \.\./],
    ["https://client.example/./c.json", /\. or \.\./],
    ["https://CLIENT.example/c.json", /canonical/],
    ["https://client.example:443/c.json", /canonical/],
    ["https://client.example/c json", /canonical/],
    [`https://client.example/${"a".repeat(2000)}`, /longer/],
    ["not a url", /valid URL/],
  ])("refuses %s", (url, reason) => {
    const result = checkClientIdUrl(url);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
  it("http only with the test allowance", () => {
    expect(isClientMetadataDocumentUrl("http://127.0.0.1:4000/c.json")).toBe(false);
    vi.stubEnv("TESSERA_CLIENT_METADATA_ALLOW_PRIVATE", "1");
    expect(isClientMetadataDocumentUrl("http://127.0.0.1:4000/c.json")).toBe(true);
    expect(checkClientIdUrl("http://127.0.0.1:4000/c.json").ok).toBe(true);
  });
});

describe("checkClientMetadataDocument", () => {
  const id = "https://client.example/client.json";
  const base = { client_id: id, redirect_uris: ["https://client.example/cb"] };
  it("uses client_name, else the host; drops duplicate redirect URIs; ignores unknown fields", () => {
    expect(checkClientMetadataDocument({ ...base, client_name: "Inspector", logo_uri: "x" }, id, "client.example")).toEqual({
      ok: true,
      metadata: { name: "Inspector", redirectUris: ["https://client.example/cb"] },
    });
    expect(
      checkClientMetadataDocument(
        { ...base, redirect_uris: ["https://client.example/cb", "https://client.example/cb"], token_endpoint_auth_method: "none" },
        id,
        "client.example",
      ),
    ).toEqual({
      ok: true,
      metadata: { name: "client.example", redirectUris: ["https://client.example/cb"] },
    });
  });
  it.each([
    [null, /JSON object/],
    [[base], /JSON object/],
    [{ ...base, client_id: `${id}/` }, /client_id is not exactly/],
    [{ ...base, client_id: undefined }, /client_id/],
    [{ ...base, redirect_uris: [] }, /redirect_uris/],
    [{ ...base, redirect_uris: ["http://evil.example/cb"] }, /redirect URI/],
    [{ ...base, token_endpoint_auth_method: "private_key_jwt" }, /token_endpoint_auth_method/],
    [{ ...base, client_secret: "x" }, /client_secret/],
    [{ ...base, grant_types: ["client_credentials"] }, /grant_types/],
    [{ ...base, response_types: ["token"] }, /response_types/],
    [{ ...base, client_name: "a\u0000b" }, /client_name/],
  ])("refuses %j", (document, reason) => {
    const result = checkClientMetadataDocument(document, id, "client.example");
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
