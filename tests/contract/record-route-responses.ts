import { appendFileSync } from "node:fs";
import { join } from "node:path";
import type { Observed } from "./validate-response";

type Handler = (...args: never[]) => Promise<Response>;

/** What this test file's route calls did wrong; tests/setup/contract-responses.ts fails the test that made them. */
const problems: string[] = [];
let validator: Promise<(observed: Observed & { routePath: string }) => string | null> | undefined;

function loadValidator() {
  // Lazily, at the first call: by then the test's own mocks are in place, and no route module
  // import order changes because a route was wrapped.
  validator ??= (async () => {
    const [{ getOpenApiDocument }, { UNDOCUMENTED_ROUTES }, { createResponseValidator }, { openApiPath }] = await Promise.all([
      import("@/lib/api-docs/openapi-document"),
      import("@/lib/api-docs/paths"),
      import("./validate-response"),
      import("./route-path"),
    ]);
    const validate = createResponseValidator(getOpenApiDocument("http://localhost:3000"));
    return (observed: Observed & { routePath: string }) =>
      UNDOCUMENTED_ROUTES[observed.routePath] ? null : validate({ ...observed, path: openApiPath(observed.routePath) });
  })();
  return validator;
}

/** Takes (and clears) the problems recorded since the last call. */
export function takeContractProblems(): string[] {
  return problems.splice(0);
}

async function check(routePath: string, method: string, response: Response): Promise<void> {
  const observed = {
    method,
    routePath,
    path: routePath,
    status: response.status,
    contentType: response.headers.get("content-type"),
    text: await response.text(),
  };
  try {
    const problem = (await loadValidator())(observed);
    if (problem) problems.push(problem);
  } catch (error) {
    problems.push(`${method} ${routePath}: the API reference could not be built or checked: ${(error as Error).message}`);
  }
  const dir = process.env.TESSERA_CONTRACT_DIR;
  if (dir) appendFileSync(join(dir, `observed-${process.pid}.jsonl`), JSON.stringify({ method, path: routePath, status: observed.status }) + "\n");
}

/**
 * Wraps a route module's exported handler (the vitest plugin in ./route-recorder-plugin.ts does it
 * for every app route file): every response any test receives, however the test called the handler,
 * is checked against the OpenAPI document. The response itself is returned untouched, and the
 * handler's own properties (withApi's marker) are kept.
 */
export function recordRouteResponses<H extends Handler>(routePath: string, method: string, handler: H): H {
  const wrapped = async (...args: Parameters<H>) => {
    const response = await handler(...args);
    await check(routePath, method, response.clone());
    return response;
  };
  for (const key of Reflect.ownKeys(handler)) {
    if (key !== "length" && key !== "name" && key !== "prototype") Object.defineProperty(wrapped, key, Object.getOwnPropertyDescriptor(handler, key)!);
  }
  return wrapped as unknown as H;
}
