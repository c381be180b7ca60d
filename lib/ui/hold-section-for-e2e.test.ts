import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";

const cookieValue = vi.hoisted(() => ({ current: undefined as string | undefined }));
const cookiesRead = vi.hoisted(() => vi.fn());
vi.mock("next/headers", () => ({
  cookies: async () => {
    cookiesRead();
    return { get: () => (cookieValue.current === undefined ? undefined : { value: cookieValue.current }) };
  },
}));

const { holdSectionForE2e } = await import("./hold-section-for-e2e");

afterEach(() => {
  cookieValue.current = undefined;
  cookiesRead.mockClear();
});

describe("holdSectionForE2e", () => {
  it("does nothing without TESSERA_E2E_SECTION_HOLD_DIR, even when the request asks for a hold", async () => {
    cookieValue.current = "audit-events.0123456789abcdef0123";
    let settled = false;
    const hold = holdSectionForE2e("audit-events", {}).then(() => (settled = true));
    await Promise.resolve();
    await Promise.resolve();
    expect(settled).toBe(true);
    await hold;
    expect(cookiesRead).not.toHaveBeenCalled();
  });

  it("holds only the named section, until the test writes the release file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "hold-"));
    const env = { TESSERA_E2E_SECTION_HOLD_DIR: dir };
    cookieValue.current = "audit-events.0123456789abcdef0123";
    await holdSectionForE2e("users", env); // another section: returns at once

    let released = false;
    const hold = holdSectionForE2e("audit-events", env).then(() => (released = true));
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(released).toBe(false);
    writeFileSync(path.join(dir, "0123456789abcdef0123"), "");
    await hold;
    expect(released).toBe(true);
  });

  it("ignores a cookie that could name a path outside the directory", async () => {
    const env = { TESSERA_E2E_SECTION_HOLD_DIR: mkdtempSync(path.join(tmpdir(), "hold-")) };
    cookieValue.current = "audit-events.../../etc/passwd";
    await holdSectionForE2e("audit-events", env); // returns at once instead of waiting 30 s
  });
});
