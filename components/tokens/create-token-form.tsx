"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select } from "@/components/ui/select";
import { fieldErrorId, useJsonApi, type FormFields } from "@/components/ui/use-json-api";
import { NewTokenPanel } from "./new-token-panel";

export type ScopeOption = { scope: string; description: string };

const PRESETS = ["7", "30", "90", "365"] as const;

/** The form's fields by the API's names: where an error about each goes, in plain words. */
const TOKEN_FIELDS: FormFields = {
  name: { id: "token-name", fallback: "Give the token a name of up to 100 characters." },
  scopes: { id: "token-scope-0", fallback: "Choose at least one scope." },
  expiresAt: { id: "token-expires-at", fallback: "Choose a date in the future, within the longest lifetime allowed." },
  expiresInDays: { id: "token-expiry", fallback: "Choose when the token expires." },
};

type Created = { name: string; token: string; expiresAt: string };

/**
 * Creates a token through POST /api/tokens — the only response that ever carries a token value —
 * and shows it once. It lives only in this component's state: a reload cannot show it again.
 */
export function CreateTokenForm({ scopes, maxDays, origin }: { scopes: ScopeOption[]; maxDays: number; origin: string }) {
  const { call, formErrors, fieldProps, pending } = useJsonApi();
  const [created, setCreated] = useState<Created | null>(null);
  const [expiry, setExpiry] = useState<string>("30");

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const body = {
      name: String(form.get("name") ?? ""),
      scopes: form.getAll("scopes").map(String),
      selfDescribing: form.get("selfDescribing") === "on",
      ...(expiry === "custom" ? { expiresAt: String(form.get("expiresAt") ?? "") } : { expiresInDays: Number(expiry) }),
    };
    const data = await call("/api/tokens", "POST", body, { fields: TOKEN_FIELDS });
    if (!data) return;
    setCreated({ name: String(data.name), token: String(data.token), expiresAt: String(data.expiresAt) });
    formElement.reset();
    setExpiry("30");
  }

  return (
    <div className="space-y-4">
      {created ? <NewTokenPanel heading={`Token “${created.name}” created.`} token={created.token} origin={origin} onDone={() => setCreated(null)} /> : null}

      <form onSubmit={onSubmit} className="space-y-4" aria-label="Create a personal access token">
        <div className="space-y-1">
          <Label htmlFor="token-name">Name</Label>
          <Input id="token-name" name="name" required maxLength={100} placeholder="e.g. nightly backup script" {...fieldProps("name", "token-name")} />
          <FieldError id={fieldErrorId("token-name")} messages={formErrors.fields.name} />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Scopes</legend>
          {scopes.map((option, index) => (
            <label key={option.scope} className="flex items-start gap-2 text-sm">
              <Checkbox
                id={`token-scope-${index}`}
                name="scopes"
                value={option.scope}
                defaultChecked={option.scope === "profile:read"}
                {...fieldProps("scopes", "token-scope-0")}
              />
              <span>
                <code className="font-mono">{option.scope}</code> — {option.description}
              </span>
            </label>
          ))}
          <FieldError id={fieldErrorId("token-scope-0")} messages={formErrors.fields.scopes} />
        </fieldset>
        <div className="flex flex-wrap items-end gap-3">
          <div className="space-y-1">
            <Label htmlFor="token-expiry">Expires</Label>
            <Select id="token-expiry" value={expiry} onChange={(event) => setExpiry(event.target.value)} {...fieldProps("expiresInDays", "token-expiry")}>
              {PRESETS.filter((days) => Number(days) <= maxDays).map((days) => (
                <option key={days} value={days}>
                  in {days} days
                </option>
              ))}
              <option value="custom">on a date…</option>
            </Select>
            <FieldError id={fieldErrorId("token-expiry")} messages={formErrors.fields.expiresInDays} />
          </div>
          {expiry === "custom" ? (
            <div className="space-y-1">
              <Label htmlFor="token-expires-at">Date</Label>
              <Input id="token-expires-at" name="expiresAt" type="date" required {...fieldProps("expiresAt", "token-expires-at")} />
              <FieldError id={fieldErrorId("token-expires-at")} messages={formErrors.fields.expiresAt} />
            </div>
          ) : null}
        </div>
        <label className="flex items-start gap-2 text-sm">
          <Checkbox name="selfDescribing" />
          <span>Self-describing token: prefix it with its name and dates, so you can tell tokens apart in config files (the prefix grants nothing).</span>
        </label>
        {formErrors.form ? <Alert tone="error">{formErrors.form}</Alert> : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create token"}
        </Button>
      </form>
    </div>
  );
}
