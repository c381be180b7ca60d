import { describe, expect, it } from "vitest";
import { capSessionExpiry, rollSessionExpiry, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from "./session-lifetime";

const DAY = 24 * 3600_000;
const signedIn = new Date("2026-01-01T00:00:00Z");
const at = (days: number) => new Date(signedIn.getTime() + days * DAY);

describe("rollSessionExpiry", () => {
  const fresh = { createdAt: signedIn, expires: new Date(signedIn.getTime() + SESSION_IDLE_MS) };

  it("no write within a day of the last extension", () => {
    expect(rollSessionExpiry(fresh, at(0.5))).toBeNull();
    expect(rollSessionExpiry(fresh, at(0.999))).toBeNull();
  });

  it("after a day: idle limit from now", () => {
    expect(rollSessionExpiry(fresh, at(1))).toEqual(new Date(at(1).getTime() + SESSION_IDLE_MS));
    expect(rollSessionExpiry(fresh, at(29))).toEqual(new Date(at(29).getTime() + SESSION_IDLE_MS));
  });

  it("never past the absolute limit; at the limit, nothing to write", () => {
    const late = { createdAt: signedIn, expires: at(80) };
    expect(rollSessionExpiry(late, at(75))).toEqual(new Date(signedIn.getTime() + SESSION_ABSOLUTE_MS));
    expect(rollSessionExpiry({ createdAt: signedIn, expires: at(90) }, at(89))).toBeNull();
  });
});

describe("capSessionExpiry", () => {
  it("keeps an expiry inside the limit and clamps one beyond it", () => {
    expect(capSessionExpiry(signedIn, at(30))).toEqual(at(30));
    expect(capSessionExpiry(signedIn, at(200))).toEqual(at(90));
  });
});
