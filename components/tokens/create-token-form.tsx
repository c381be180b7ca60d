"use client";

import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { NewTokenPanel } from "./new-token-panel";

export type ScopeOption = { scope: string; description: string };

const PRESETS = ["7", "30", "90", "365"] as const;

type Created = { name: string; token: string; expiresAt: string };

/**
 * Creates a token through POST /api/tokens — the only response that ever carries a token value —
 * and shows it once. It lives only in this component's state: a reload cannot show it again.
 */
export function CreateTokenForm({ scopes, maxDays, origin }: { scopes: ScopeOption[]; maxDays: number; origin: string }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [expiry, setExpiry] = useState<string>("30");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = {
      name: String(form.get("name") ?? ""),
      scopes: form.getAll("scopes").map(String),
      selfDescribing: form.get("selfDescribing") === "on",
      ...(expiry === "custom" ? { expiresAt: String(form.get("expiresAt") ?? "") } : { expiresInDays: Number(expiry) }),
    };
    setPending(true);
    setError(null);
    try {
      const response = await fetch("/api/tokens", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const data = await response.json().catch(() => null);
      if (!response.ok) {
        setError(data?.error?.message ?? `Could not create the token (HTTP ${response.status}).`);
        return;
      }
      setCreated({ name: data.name, token: data.token, expiresAt: data.expiresAt });
      (event.target as HTMLFormElement).reset();
      setExpiry("30");
      router.refresh();
    } catch {
      setError("Could not reach Tessera. Check your connection and try again.");
    } finally {
      setPending(false);
    }
  }

  return (
    <div className="space-y-4">
      {created ? <NewTokenPanel heading={`Token “${created.name}” created.`} token={created.token} origin={origin} onDone={() => setCreated(null)} /> : null}

      <form onSubmit={onSubmit} className="space-y-4" aria-label="Create a personal access token">
        {error ? <Alert tone="error">{error}</Alert> : null}
        <div className="space-y-1">
          <Label htmlFor="token-name">Name</Label>
          <Input id="token-name" name="name" required maxLength={100} placeholder="e.g. nightly backup script" />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Scopes</legend>
          {scopes.map((option) => (
            <label key={option.scope} className="flex items-start gap-2 text-sm">
              <Checkbox name="scopes" value={option.scope} defaultChecked={option.scope === "profile:read"} />
              <span>
                <code className="font-mono">{option.scope}</code> — {option.description}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-end gap-3">
          <div className="space-y-1">
            <Label htmlFor="token-expiry">Expires</Label>
            <Select id="token-expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)}>
              {PRESETS.filter((days) => Number(days) <= maxDays).map((days) => (
                <option key={days} value={days}>
                  in {days} days
                </option>
              ))}
              <option value="custom">on a date…</option>
            </Select>
          </div>
          {expiry === "custom" ? (
            <div className="space-y-1">
              <Label htmlFor="token-expires-at">Date</Label>
              <Input id="token-expires-at" name="expiresAt" type="date" required />
            </div>
          ) : null}
        </div>
        <label className="flex items-start gap-2 text-sm">
          <Checkbox name="selfDescribing" />
          <span>Self-describing token: prefix it with its name and dates, so you can tell tokens apart in config files (the prefix grants nothing).</span>
        </label>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
    </div>
  );
}
