"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { fieldProblem } from "@/lib/ui/field-problem";

/**
 * A form's fields, by the API's name for each: the id of the control that takes it (focused when the API
 * rejects that field) and what to say when the API's own words are generic (see lib/ui/field-problem.ts).
 */
export type FormFields = Readonly<Record<string, { id: string; fallback: string }>>;

/** Where a form's error goes: next to the field it is about, or (about no one field) next to the form's button. */
export type FormErrors = { fields: Readonly<Record<string, string>>; form: string | null; focus?: string };

const NO_ERRORS: FormErrors = { fields: {}, form: null };

/**
 * The session behind this page has ended (signed out elsewhere, expired, ended by an admin): the API's 401 speaks
 * of personal access tokens, which is not this person's problem. Off to sign in, and back to this page after.
 */
export function isSessionEnded(response: Response, data: unknown): boolean {
  return response.status === 401 && (data as { error?: { code?: unknown } } | null)?.error?.code === "unauthorized";
}

export function signInAgain(): void {
  window.location.assign(`/signin?callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/**
 * Sudo mode (lib/auth/require-recent-sign-in.ts): creating a credential needs a sign-in within the last few
 * minutes, and the API said this one is older. Not an error to show: the person confirms it's them and comes back.
 */
export function needsRecentSignIn(response: Response, data: unknown): boolean {
  return response.status === 403 && (data as { error?: { code?: unknown } } | null)?.error?.code === "recent_sign_in_required";
}

/** Off to the provider to confirm it's them ("sudo mode"), and back to this page after. */
export function confirmItsYou(): void {
  window.location.assign(`/signin?reauth=1&callbackUrl=${encodeURIComponent(window.location.pathname + window.location.search)}`);
}

/** The id of a field's error message, for its control's `aria-describedby`. */
export function fieldErrorId(controlId: string): string {
  return `${controlId}-error`;
}

/**
 * Same-origin JSON calls from the admin and developer panels: one request at a time (`pending`), the API's
 * `{"error":{"message"}}` shown as `error`, and the server-rendered list refreshed after every success.
 * With `fields` (a form's submit), a rejection lands in `formErrors` instead: next to the field it names, whose
 * control gets focus, or next to the form's button. Resolves to the response body (`{}` for 204), or null.
 */
export function useJsonApi() {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [formErrors, setFormErrors] = useState<FormErrors>(NO_ERRORS);
  const [pending, setPending] = useState(false);
  const last = useRef<string | null>(null);

  function fail(message: string, fields: FormFields | undefined) {
    last.current = message;
    if (!fields) return setError(message);
    const fallbacks = Object.fromEntries(Object.entries(fields).map(([name, field]) => [name, field.fallback]));
    const problem = fieldProblem(message, fallbacks);
    if (!problem) return setFormErrors({ fields: {}, form: message });
    setFormErrors({ fields: { [problem.field]: problem.message }, form: null, focus: fields[problem.field]?.id });
  }

  // Focus moves to the rejected control once its message is on the page, so a screen reader reads the two together.
  useEffect(() => {
    if (formErrors.focus) document.getElementById(formErrors.focus)?.focus();
  }, [formErrors]);

  async function call(path: string, method: string, body?: unknown, options: { fields?: FormFields } = {}): Promise<Record<string, unknown> | null> {
    setPending(true);
    setError(null);
    setFormErrors(NO_ERRORS);
    try {
      const response = await fetch(path, {
        method,
        headers: body ? { "content-type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
      });
      const data = response.status === 204 ? {} : await response.json().catch(() => null);
      if (isSessionEnded(response, data)) {
        signInAgain();
        return null;
      }
      if (needsRecentSignIn(response, data)) {
        confirmItsYou();
        return null;
      }
      if (!response.ok) {
        fail(data?.error?.message ?? `The request failed (HTTP ${response.status}).`, options.fields);
        return null;
      }
      router.refresh();
      return data ?? {};
    } catch {
      fail("Could not reach Tessera. Check your connection and try again.", options.fields && {});
      return null;
    } finally {
      setPending(false);
    }
  }

  /**
   * `aria-invalid` and `aria-describedby` for a field's control when the last submit was rejected for it;
   * `describedBy` (the field's own help text) stays described either way.
   */
  function fieldProps(name: string, controlId: string, describedBy?: string) {
    if (!formErrors.fields[name]) return describedBy ? { "aria-describedby": describedBy } : {};
    return { "aria-invalid": true as const, "aria-describedby": [fieldErrorId(controlId), describedBy].filter(Boolean).join(" ") };
  }

  /** The message of the last failed call, at once (for a dialog that shows it itself; `error` comes a render later). */
  const lastError = () => last.current ?? "The request failed.";

  return { call, error, setError, formErrors, fieldProps, pending, lastError };
}
