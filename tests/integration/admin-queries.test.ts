import { beforeAll, expect, it } from "vitest";
import { getLastRevokeAllReport } from "@/lib/admin/get-last-revoke-all-report";
import { getDb } from "@/lib/db/client";
import { createUser } from "../helpers/fixtures";
import { describeOnEachDatabase } from "../helpers/test-database";

describeOnEachDatabase("admin page queries", () => {
  let userId: string;
  beforeAll(async () => {
    userId = (await createUser()).id;
  });

  it("the security tab's revoke-all report: the latest of the last 24 h, that user's only", async () => {
    const now = new Date();
    const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000);
    const detail = (endedSessions: number) => ({ providers: [{ provider: "github", revocation: "revoked", reason: null }], revokedPats: 1, endedSessions });
    const event = (subjectUserId: string, createdAt: Date, ended: number, action = "admin.revoke_all") =>
      getDb().auditEvent.create({ data: { action, actorType: "admin", subjectUserId, createdAt, detail: detail(ended) } });

    expect(await getLastRevokeAllReport(userId, now)).toBeNull();
    await event(userId, hoursAgo(30), 1);
    expect(await getLastRevokeAllReport(userId, now)).toBeNull();
    await event(userId, hoursAgo(5), 2);
    await event(userId, hoursAgo(2), 3);
    await event(userId, hoursAgo(1), 4, "user.role_changed");
    await event((await createUser()).id, hoursAgo(0.5), 5);
    expect(await getLastRevokeAllReport(userId, now)).toEqual({ createdAt: hoursAgo(2), detail: detail(3) });
  });
});
