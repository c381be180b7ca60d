import { describe, expect, it } from "vitest";
import { describeAttemptProblem } from "./describe-attempt-problem";

describe("describeAttemptProblem", () => {
  it("a success has no problem; an HTTP failure names its status in words", () => {
    expect(describeAttemptProblem({ statusCode: 204, error: null })).toBeNull();
    expect(describeAttemptProblem({ statusCode: 500, error: "HTTP 500" })).toBe("The receiver answered HTTP 500 (the receiver failed)");
    expect(describeAttemptProblem({ statusCode: 302, error: "HTTP 302" })).toMatch(/redirect, which is not followed/);
  });

  it("network failures read as sentences, never as raw error codes", () => {
    const cases: [string, RegExp][] = [
      ["URL refused: bad port", /^Address refused: that port is not allowed/],
      ["URL refused: the host name does not resolve", /^Address refused: the host name does not resolve$/],
      ["no answer within 10000 ms", /^No answer within 10 s$/],
      ["connect ECONNREFUSED 127.0.0.1:4", /^Connection refused/],
      ["socket hang up", /closed the connection/],
      ["the connection closed before the answer was complete", /cut off/],
      ["something odd", /^Network error$/],
    ];
    for (const [error, words] of cases) {
      const problem = describeAttemptProblem({ statusCode: null, error })!;
      expect(problem, error).toMatch(words);
      expect(problem).not.toMatch(/ECONN|bad port/);
    }
  });
});
