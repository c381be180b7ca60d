import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";

// Next's request-scoped storage (what cookies() / headers() / redirect() read) needs this global, which
// Next's own server sets at boot.
(globalThis as { AsyncLocalStorage?: unknown }).AsyncLocalStorage ??= AsyncLocalStorage;

const require = createRequire(import.meta.url);
const { workUnitAsyncStorage } = require("next/dist/server/app-render/work-unit-async-storage.external.js");
const { workAsyncStorage } = require("next/dist/server/app-render/work-async-storage.external.js");
const { createRequestStoreForAPI } = require("next/dist/server/async-storage/request-store.js");
const { createWorkStore } = require("next/dist/server/async-storage/work-store.js");
const { isRedirectError } = require("next/dist/client/components/redirect-error.js");
const { getURLFromRedirectError } = require("next/dist/client/components/redirect.js");
const { getAccessFallbackHTTPStatus, isHTTPAccessFallbackError } = require("next/dist/client/components/http-access-fallback/http-access-fallback.js");

/** What Next would answer a server action call with. */
export type ActionOutcome =
  | { kind: "returned" }
  | { kind: "redirect"; location: string }
  | { kind: "http-fallback"; status: number }
  // Anything else escaping the action is a 500 page for the user.
  | { kind: "thrown"; error: unknown };

/**
 * Calls a server action the way Next's action handler does: inside a request store built from the
 * given headers (so cookies(), headers(), redirect(), notFound() and revalidatePath() behave as in
 * production), and classifies how it ended.
 */
export async function runServerAction(
  action: (formData: FormData) => Promise<unknown>,
  formData: FormData,
  headers: Record<string, string>,
  path = "/",
): Promise<ActionOutcome> {
  const url = new URL(path, "http://localhost:3000");
  const request = { headers: { host: "localhost:3000", "x-forwarded-for": "203.0.113.80", ...headers } };
  const requestStore = createRequestStoreForAPI(request, url, { tags: [], expirationsByCacheKind: new Map() }, undefined, {
    previewModeId: "test",
    previewModeEncryptionKey: "test",
    previewModeSigningKey: "test",
  });
  const workStore = createWorkStore({
    page: `${path}/page`,
    renderOpts: { experimental: {}, supportsDynamicResponse: true, isPossibleServerAction: true },
    isPrefetchRequest: false,
    buildId: "test",
    previouslyRevalidatedTags: [],
  });
  try {
    await workAsyncStorage.run(workStore, () => workUnitAsyncStorage.run(requestStore, () => action(formData)));
    return { kind: "returned" };
  } catch (error) {
    if (isRedirectError(error)) return { kind: "redirect", location: getURLFromRedirectError(error) };
    if (isHTTPAccessFallbackError(error)) return { kind: "http-fallback", status: getAccessFallbackHTTPStatus(error) };
    return { kind: "thrown", error };
  }
}
