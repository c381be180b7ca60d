import { describe, expect, it } from "vitest";
import { fieldProblem } from "./field-problem";

const FIELDS = { name: "Give it a name.", redirectUris: "Enter a full address.", permissions: "Choose at least one permission." };

describe("fieldProblem", () => {
  it("drops the field path and keeps a human message as a sentence", () => {
    expect(fieldProblem("permissions: Choose at least one permission", FIELDS)).toEqual({ field: "permissions", message: "Choose at least one permission." });
  });

  it("names the line of a one-per-line list", () => {
    expect(fieldProblem("redirectUris.1: redirect URI must use https", FIELDS)).toEqual({
      field: "redirectUris",
      message: "Line 2: redirect URI must use https.",
    });
  });

  it("replaces zod's generic wording with the form's sentence", () => {
    expect(fieldProblem("name: Too small: expected string to have >=1 characters", FIELDS)).toEqual({ field: "name", message: "Give it a name." });
    expect(fieldProblem("redirectUris.0: Invalid input", FIELDS)).toEqual({ field: "redirectUris", message: "Line 1: enter a full address." });
  });

  it("leaves messages about no known field to the form's general error", () => {
    expect(fieldProblem("scopes: Invalid input", FIELDS)).toBeNull();
    expect(fieldProblem("A service with that name already exists.", FIELDS)).toBeNull();
    expect(fieldProblem("constructor: x", FIELDS)).toBeNull();
  });
});
