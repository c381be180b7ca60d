"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";

/**
 * Same-origin JSON calls from the admin and developer panels: one request at a time (`pending`), the API's
 * `{"error":{"message"}}` shown as `error`, and the server-rendered list refreshed after every success.
 * Resolves to the response body (`{}` for 204), or null when it failed.
 */
export function useJsonApi() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function call(path: string, method: string, body?: unknown): Promise<Record<string, unknown> | null> {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(path, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = response.status === 204 ? {} : await response.json().catch(() => null);
      if (!response.ok) {
        setError(data?.error?.message ?? `The request failed (HTTP ${response.status}).`);
        return null;
      }
      router.refresh();
      return data ?? {};
    } catch {
      setError("Could not reach Tessera. Check your connection and try again.");
      return null;
    } finally {
      setPending(false);
    }
  }

  return { call, error, setError, pending };
}
