import { describe, expect, it } from "vitest";
import { SEMI_SPACE_VARIABLE, SemiSpaceError, semiSpaceFlags } from "./semi-space";
import { StartupConfigError } from "./startup-config-error";

describe("semiSpaceFlags", () => {
  it("gives the app server a 64 MB semi-space unless told otherwise; 0 keeps Node's default", () => {
    expect(semiSpaceFlags({})).toEqual(["--max-semi-space-size=64"]);
    expect(semiSpaceFlags({ [SEMI_SPACE_VARIABLE]: " " })).toEqual(["--max-semi-space-size=64"]);
    expect(semiSpaceFlags({ [SEMI_SPACE_VARIABLE]: "128" })).toEqual(["--max-semi-space-size=128"]);
    expect(semiSpaceFlags({ [SEMI_SPACE_VARIABLE]: "0" })).toEqual([]);
  });

  it("refuses at startup what is not a whole number of MB up to 1024, naming the variable", () => {
    for (const value of ["64MB", "-1", "1.5", "2048", "1e3"]) {
      const attempt = () => semiSpaceFlags({ [SEMI_SPACE_VARIABLE]: value });
      expect(attempt).toThrow(SemiSpaceError);
      expect(attempt).toThrow(StartupConfigError);
      expect(attempt).toThrow(SEMI_SPACE_VARIABLE);
    }
  });
});
