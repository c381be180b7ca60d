"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { isSessionEnded, signInAgain } from "@/components/ui/use-json-api";
import { NewTokenPanel } from "./new-token-panel";

const OVERLAPS = [
  { seconds: 0, label: "Stop the old token now" },
  { seconds: 300, label: "Keep the old token working for 5 minutes" },
  { seconds: 3600, label: "Keep the old token working for 1 hour" },
  { seconds: 86_400, label: "Keep the old token working for 24 hours" },
] as const;

/**
 * "Regenerate": a confirmation that lets the person choose how long the old token keeps working, then
 * POST /api/tokens/{id}/rotate, whose 201 is the only response that carries the new value. The value
 * lives in this component's state only and is dropped when the dialog closes; the table refreshes then
 * (not before: the old row may stop being active, which would unmount this dialog and its value).
 */
export function RegenerateTokenDialog({ tokenId, tokenName, origin }: { tokenId: string; tokenName: string; origin: string }) {
  const router = useRouter();
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const [overlap, setOverlap] = useState("0");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [token, setToken] = useState<string | null>(null);

  function onClose() {
    const hadToken = token !== null;
    setToken(null);
    setError(null);
    setOverlap("0");
    if (hadToken) router.refresh();
  }

  async function regenerate() {
    setPending(true);
    setError(null);
    try {
      const response = await fetch(`/api/tokens/${encodeURIComponent(tokenId)}/rotate`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ overlapSeconds: Number(overlap) }),
      });
      const data = await response.json().catch(() => null);
      if (isSessionEnded(response, data)) return signInAgain();
      if (!response.ok) {
        setError(data?.error?.message ?? `Could not regenerate the token (HTTP ${response.status}).`);
        return;
      }
      setToken(data.token);
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
