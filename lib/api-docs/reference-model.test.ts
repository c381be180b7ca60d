import { describe, expect, it } from "vitest";
import { getOpenApiDocument } from "./openapi-document";
import { buildReference, curlExample } from "./reference-model";
import { referenceServerUrl } from "./server-url";

const headers = (values: Record<string, string>) => new Headers(values);

describe("the /docs model", () => {
  const sections = buildReference(getOpenApiDocument("https://tessera.example.com"));
  const endpoint = (key: string) => sections.flatMap((s) => s.endpoints).find((e) => `${e.method} ${e.path}` === key)!;

  it("lists every documented operation once, grouped by area", () => {
    const all = sections.flatMap((s) => s.endpoints.map((e) => `${e.method} ${e.path}`));
    expect(new Set(all).size).toBe(all.length);
    expect(all).toContain("GET /api/v1/me");
    expect(sections.map((s) => s.name)[0]).toBe("Personal access tokens");
  });

  it("says which scope an endpoint needs and gives a curl example with this server's URL", () => {
    const me = endpoint("GET /api/v1/me");
    expect(me.access.label).toBe("personal access token with scope profile:read, or a signed-in session");
    expect(me.curl).toBe(`curl "https://tessera.example.com/api/v1/me" \\\n  -H "Authorization: Bearer $TESSERA_TOKEN"`);
    expect(endpoint("POST /api/admin/services").access.label).toMatch(/^Admins: personal access token with scope admin/);
  });

  it("builds curl bodies from the documented examples: JSON quoted for the shell, forms url-encoded, client auth as Basic", () => {
    expect(endpoint("POST /api/tokens").curl).toContain(`-d '{"name":"nightly backup","scopes":["profile:read","tokens:read"],"expiresInDays":30}'`);
    const token = endpoint("POST /api/oauth/token").curl;
    expect(token).toContain(`-u "$CLIENT_ID:$CLIENT_SECRET"`);
    expect(token).toContain(`--data-urlencode 'grant_type=client_credentials'`);
    expect(endpoint("DELETE /api/tokens/{id}").curl).toContain(`curl -X DELETE "https://tessera.example.com/api/tokens/<id>"`);
    expect(
      curlExample({
        serverUrl: "http://h",
        method: "POST",
        path: "/x",
        access: { kind: "public" },
        body: { contentType: "application/json", example: { name: "it's" } },
      }),
    ).toContain(`-d '{"name":"it'\\''s"}'`);
  });

  it("shows parameters, body fields and response examples", () => {
    const list = endpoint("GET /api/v1/tokens");
    expect(list.parameters.map((p) => `${p.in}:${p.name}`)).toEqual(["query:cursor", "query:limit"]);
    expect(JSON.parse(list.responses.find((r) => r.status === "200")!.example!).tokens[0]).toMatchObject({ id: "pat_2b1kq9Xw3e", status: "active" });
    expect(endpoint("POST /api/tokens").requestBody!.fields.find((f) => f.name === "name")).toMatchObject({ required: true, type: "string" });
  });
});

describe("referenceServerUrl", () => {
  it("uses AUTH_URL's origin when set, else the request's Host; never a hostile one", () => {
    expect(referenceServerUrl(headers({ host: "10.0.0.5:3000" }), "http://localhost:3000", { AUTH_URL: "https://keys.example.com/some/path" })).toBe(
      "https://keys.example.com",
    );
    expect(referenceServerUrl(headers({ host: "10.0.0.5:3000" }), "http://localhost:3000", {})).toBe("http://10.0.0.5:3000");
    expect(referenceServerUrl(headers({ host: "a$(id).example" }), "http://localhost:3000", {})).toBe("http://localhost:3000");
    expect(referenceServerUrl(headers({}), "http://x`id`", {})).toBe("http://localhost:3000");
  });
});
