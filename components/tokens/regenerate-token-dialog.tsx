"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { confirmItsYou, isSessionEnded, needsRecentSignIn, signInAgain } from "@/components/ui/use-json-api";
import { formatDate } from "@/lib/ui/format";
import { NewTokenPanel } from "./new-token-panel";

const OVERLAPS = [
  { seconds: 0, label: "Stop the old token now" },
  { seconds: 300, label: "Keep the old token working for 5 minutes" },
  { seconds: 3600, label: "Keep the old token working for 1 hour" },
  { seconds: 86_400, label: "Keep the old token working for 24 hours" },
] as const;

const EXPIRY_PRESETS = [7, 30, 90, 365] as const;
const DAY_MS = 24 * 3600_000;

/**
 * "Regenerate": a confirmation that lets the person choose how long the old token keeps working, then
 * POST /api/tokens/{id}/rotate, whose 201 is the only response that carries the new value. The value
 * lives in this component's state only and is dropped when the dialog closes; the table refreshes then
 * (not before: the old row may stop being active, which would unmount this dialog and its value).
 */
export function RegenerateTokenDialog({
  tokenId,
  tokenName,
  origin,
  maxDays,
  openNewToken = false,
}: {
  tokenId: string;
  tokenName: string;
  origin: string;
  /** When set (the token's detail page), the person may choose a new expiry, up to this many days. */
  maxDays?: number;
  /** The detail page: after Done, go to the new token's page (the old one is no longer the one in use). */
  openNewToken?: boolean;
}) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [overlap, setOverlap] = useState("0");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);
  const [newId, setNewId] = useState<string | null>(null);
  // "same": the old token's lifetime (the API's default); else a number of days from now.
  const [expiry, setExpiry] = useState("same");

  function onClose() {
    const hadToken = token !== null;
    setToken(null);
    setError(null);
    setOverlap("0");
    setExpiry("same");
    if (hadToken && openNewToken && newId) router.push(`/settings/tokens/${newId}`);
    else if (hadToken) router.refresh();
  }

  async function regenerate() {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/tokens/${encodeURIComponent(tokenId)}/rotate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ overlapSeconds: Number(overlap), ...(expiry === "same" ? {} : { expiresInDays: Number(expiry) }) }),
      });
      const data = await response.json().catch(() => null);
      if (isSessionEnded(response, data)) return signInAgain();
      if (needsRecentSignIn(response, data)) return confirmItsYou();
      if (!response.ok) {
        setError(data?.error?.message ?? `Could not regenerate the token (HTTP ${response.status}).`);
        return;
      }
      setToken(data.token);
      setNewId(typeof data.id === "string" ? data.id : null);
    } catch {
      setError("Could not reach Tessera. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <>
      <Button size="sm" variant="secondary" aria-haspopup="dialog" onClick={() => dialog.current?.showModal()}>
        Regenerate
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        onClose={onClose}
        onClick={(event) => {
          // The backdrop cancels only while nothing is shown that cannot be shown again.
          if (event.target === event.currentTarget && !token && !pending) event.currentTarget.close();
        }}
        className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-0 text-gray-900 dark:text-gray-100 shadow-xl backdrop:bg-gray-950/50"
      >
        <div className="space-y-3 p-5">
          <h2 id={titleId} className="text-lg font-semibold">
            Regenerate “{tokenName}”?
          </h2>
          {token ? (
            <NewTokenPanel heading={`New value for “${tokenName}”.`} token={token} origin={origin} onDone={() => dialog.current?.close()} />
          ) : (
            <>
              <p className="text-sm text-gray-700 dark:text-gray-300">
                A new token with the same name and scopes replaces this one. Update your scripts with the new value. If the old token is used after it stops,
                Tessera treats it as stolen and revokes the new one too.
              </p>
              <div className="space-y-1">
                <Label htmlFor={`${titleId}-overlap`}>The old token</Label>
                <Select id={`${titleId}-overlap`} value={overlap} onChange={(event) => setOverlap(event.target.value)}>
                  {OVERLAPS.map((option) => (
                    <option key={option.seconds} value={String(option.seconds)}>
                      {option.label}
                    </option>
                  ))}
                </Select>
              </div>
              {maxDays ? (
                <div className="space-y-1">
                  <Label htmlFor={`${titleId}-expiry`}>The new token expires</Label>
                  <Select
                    id={`${titleId}-expiry`}
                    value={expiry}
                    onChange={(event) => setExpiry(event.target.value)}
                    aria-describedby={`${titleId}-expiry-preview`}
                  >
                    <option value="same">after the same lifetime as this one</option>
                    {EXPIRY_PRESETS.filter((days) => days <= maxDays).map((days) => (
                      <option key={days} value={String(days)}>
                        in {days} days
                      </option>
                    ))}
                  </Select>
                  {expiry !== "same" ? (
                    <p id={`${titleId}-expiry-preview`} className="text-xs text-gray-600 dark:text-gray-400" data-testid="regenerate-expiry-preview">
                      On {formatDate(Date.now() + Number(expiry) * DAY_MS)}
                    </p>
                  ) : null}
                </div>
              ) : null}
              {error ? <Alert tone="error">{error}</Alert> : null}
              <div className="flex justify-end gap-2 pt-2">
                <Button variant="secondary" disabled={pending} onClick={() => dialog.current?.close()}>
                  Cancel
                </Button>
                <Button variant="danger" disabled={pending} onClick={regenerate}>
                  {pending ? "Regenerating…" : "Regenerate token"}
                </Button>
              </div>
            </>
          )}
        </div>
      </dialog>
    </>
  );
}
