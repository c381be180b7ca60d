import { describe, expect, it } from "vitest";
import { webhookEventForAudit } from "./webhook-events";

describe("webhookEventForAudit", () => {
  it("a committed revoke-all is user.credentials_revoked; a failed one (committed: false) revoked nothing and fires nothing", () => {
    expect(webhookEventForAudit({ action: "admin.revoke_all", detail: { committed: true } })).toBe("user.credentials_revoked");
    expect(webhookEventForAudit({ action: "admin.revoke_all", detail: { committed: false } })).toBeNull();
  });

  it("a retryable refresh failure is connection.refresh_failed; a dead grant is reported only as needs_reconnect", () => {
    expect(webhookEventForAudit({ action: "provider_token.refresh_failed", detail: { retryable: true } })).toBe("connection.refresh_failed");
    expect(webhookEventForAudit({ action: "provider_token.refresh_failed", detail: { retryable: false } })).toBeNull();
  });
});
