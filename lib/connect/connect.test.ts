import { describe, expect, it } from "vitest";
import { generateKeyringEntry, parseKeyring } from "@/lib/crypto/keyring";
import { CONNECT_FAILURES, ConnectError } from "./connect-error";
import { joinScopes, missingScopes, unionScopes } from "./connect-scopes";
import { openConnectSecrets, sealConnectSecrets } from "./connect-secrets";
import { readPath } from "./read-provider-account";
import { NOTICES } from "@/lib/actions/notices";

const keyring = parseKeyring(generateKeyringEntry("k1"));

describe("scopes on a connect request", () => {
  it("asks for what the grant holds plus what is missing; on a first connect, the entry's defaults plus what is needed", () => {
    expect(unionScopes(["users:read"], ["channels:read", "users:read"], ["ignored"])).toEqual(["users:read", "channels:read"]);
    expect(unionScopes([], ["channels:read"], ["users:read"])).toEqual(["users:read", "channels:read"]);
    expect(missingScopes(["a", "b"], ["b", "c", "c"])).toEqual(["c"]);
  });

  it("joins them with the provider's own separator", () => {
    expect(joinScopes({ scopeSeparator: "," }, ["users:read", "channels:read"])).toBe("users:read,channels:read");
    expect(joinScopes({ scopeSeparator: " " }, ["openid", "email"])).toBe("openid email");
  });
});

describe("reading the account from a provider's answer", () => {
  it("follows a dot path to a string or a number, and nothing else", () => {
    const answer = { ok: true, user_id: "U1", data: { viewer: { id: 42, name: "Ada" } }, list: ["x"], deep: { obj: {} } };
    expect(readPath(answer, "user_id")).toBe("U1");
    expect(readPath(answer, "data.viewer.id")).toBe("42");
    expect(readPath(answer, "data.viewer.name")).toBe("Ada");
    expect(readPath(answer, "deep.obj")).toBeNull();
    expect(readPath(answer, "missing.path")).toBeNull();
    // Inherited members are not the provider's answer.
    expect(readPath(answer, "constructor")).toBeNull();
    expect(readPath(null, "id")).toBeNull();
  });
});

describe("the sealed PKCE verifier and nonce", () => {
  it("open only on the row they were sealed for", () => {
    const sealed = sealConnectSecrets("req-1", { codeVerifier: "verifier-value-123", nonce: "n-1" }, keyring);
    expect(sealed).not.toContain("verifier-value-123");
    expect(openConnectSecrets("req-1", sealed, keyring)).toEqual({ codeVerifier: "verifier-value-123", nonce: "n-1" });
    expect(openConnectSecrets("req-2", sealed, keyring)).toBeNull();
    expect(openConnectSecrets("req-1", "garbage", keyring)).toBeNull();
  });
});

describe("connect failures", () => {
  it("each has a notice for the connections page, named by its code", () => {
    for (const failure of Object.keys(CONNECT_FAILURES) as (keyof typeof CONNECT_FAILURES)[]) {
      const error = new ConnectError(failure);
      expect(Object.hasOwn(NOTICES, error.code), error.code).toBe(true);
    }
  });
});
