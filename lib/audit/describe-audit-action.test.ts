import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { AUDIT_KINDS, describeAuditAction, groupedAuditActions } from "./describe-audit-action";
import { AUDIT_ACTIONS } from "./record-audit-event";

const ROOT = join(__dirname, "..", "..");

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "generated" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

describe("describeAuditAction", () => {
  it("every action code the app records has a human label (not the code itself)", () => {
    // The codes written anywhere: `action: "x.y"` in lib/ and app/ (recordAuditEvent's callers).
    const recorded = new Set<string>();
    for (const file of [...sourceFiles(join(ROOT, "lib")), ...sourceFiles(join(ROOT, "app"))]) {
      for (const match of readFileSync(file, "utf8").matchAll(/\baction:\s*"([a-z_]+\.[a-z_]+)"/g)) recorded.add(match[1]!);
    }
    expect(recorded.size).toBeGreaterThan(40);
    for (const action of recorded) expect(AUDIT_ACTIONS, `${action} is recorded but not in AUDIT_ACTIONS`).toContain(action);
    for (const action of AUDIT_ACTIONS) {
      const label = describeAuditAction(action);
      expect(label, action).not.toBe(action);
      expect(label, action).toMatch(/^[A-Z][^._]*$/);
    }
  });

  it("the filter's groups hold every action once, sorted by label within each group", () => {
    const groups = groupedAuditActions();
    expect(groups.map((group) => group.label)).toEqual(Object.values(AUDIT_KINDS));
    const all = groups.flatMap((group) => group.actions.map((action) => action.value));
    expect([...all].sort()).toEqual([...AUDIT_ACTIONS].sort());
    for (const group of groups) {
      const labels = group.actions.map((action) => action.label);
      expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b)));
    }
  });

  it("a code this version does not know shows as itself", () => {
    expect(describeAuditAction("something.new")).toBe("something.new");
  });
});
