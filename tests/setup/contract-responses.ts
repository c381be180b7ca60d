import { afterAll, afterEach } from "vitest";
import { takeContractProblems } from "../contract/record-route-responses";

/*
 * Every route response an integration test receives must match the API reference (lib/api-docs):
 * a listed status, a documented content type, a JSON body valid against the documented schema.
 * The test during which a route answered otherwise fails here, with the route, method and status.
 */
function failOnProblems() {
  const problems = takeContractProblems();
  if (problems.length) {
    const unique = [...new Set(problems)];
    throw new Error(
      `The API reference (lib/api-docs/paths) does not match ${unique.length} response(s) this test received:\n- ${unique.slice(0, 10).join("\n- ")}${unique.length > 10 ? `\n… and ${unique.length - 10} more` : ""}`,
    );
  }
}

afterEach(failOnProblems);
afterAll(failOnProblems);
