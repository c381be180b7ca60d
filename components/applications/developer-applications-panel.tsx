"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { useJsonApi } from "@/components/ui/use-json-api";
import { plural } from "@/lib/ui/plural";

export type DeveloperApplicationRow = {
  id: string;
  clientId: string;
  name: string;
  homepageUrl: string | null;
  redirectUris: string[];
  defaultScopes: string[];
  confidential: boolean;
  status: "active" | "disabled";
  secretHint: string | null;
  previousSecretExpires: string | null;
  authorizedUsers: number;
};

type Secret = { title: string; clientId: string; clientSecret: string };

/** A scope the registration form offers as a default (`checked`: ticked to begin with). */
export type DefaultScopeChoice = { scope: string; description: string; checked: boolean };

/**
 * The person's own applications through /api/applications (same-origin session): registering and
 * rotating show the secret once, in this component's state only; deleting asks first.
 */
export function DeveloperApplicationsPanel({
  applications,
  authorizeUrl,
  scopeChoices,
}: {
  applications: DeveloperApplicationRow[];
  authorizeUrl: string;
  scopeChoices: DefaultScopeChoice[];
}) {
  const { call, error, pending } = useJsonApi();
  const [secret, setSecret] = useState<Secret | null>(null);
  const [registered, setRegistered] = useState<{ name: string; clientId: string } | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const created = await call("/api/applications", "POST", {
      name: text("name"),
      ...(text("description") ? { description: text("description") } : {}),
      ...(text("homepageUrl") ? { homepageUrl: text("homepageUrl") } : {}),
      redirectUris: text("redirectUris").split(/\s+/).filter(Boolean),
      confidential: form.get("type") !== "public",
      defaultScopes: form.getAll("defaultScopes").map(String),
    });
    if (!created) return;
    formElement.reset();
    setSecret(null);
    setRegistered({ name: String(created.name), clientId: String(created.clientId) });
    if (typeof created.clientSecret === "string")
      setSecret({ title: `Application “${String(created.name)}” registered.`, clientId: String(created.clientId), clientSecret: created.clientSecret });
  }

  async function onRotate(app: DeveloperApplicationRow, form: FormData) {
    const hours = Number(form.get("overlapHours") ?? 24);
    const rotated = await call(`/api/applications/${app.id}/rotate-secret`, "POST", { overlapSeconds: Math.round(hours * 3600) });
    if (rotated)
      setSecret({
        title: `New secret for “${app.name}”; the old one works until ${String(rotated.previousSecretExpiresAt)}.`,
        clientId: app.clientId,
        clientSecret: String(rotated.clientSecret),
      });
  }

  return (
    <div className="space-y-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {registered && !secret ? (
        <Alert tone="success" data-testid="new-application">
          Public application “{registered.name}” registered: client id <code>{registered.clientId}</code>. It has no secret; it proves itself with PKCE.
        </Alert>
      ) : null}
      {secret ? (
        <SecretShownOnce
          testId="new-application-secret"
          heading={secret.title}
          warning="Copy the client secret now: it will not be shown again. Tessera keeps only a hash of it."
          value={secret.clientSecret}
          onDone={() => setSecret(null)}
          before={
            <p className="text-sm">
              Client id: <code data-testid="new-application-client-id">{secret.clientId}</code>
            </p>
          }
        />
      ) : null}

      {applications.length === 0 ? (
        <EmptyState
          title="No applications yet"
          description="Register an application to let other people use it with their Tessera account, through OAuth 2.0 with PKCE."
        >
          <CodeBlock>{`${authorizeUrl}?response_type=code&client_id=…&redirect_uri=…&scope=profile:read&state=…&code_challenge=…&code_challenge_method=S256`}</CodeBlock>
        </EmptyState>
      ) : (
        <Table label="Your applications">
          <THead>
            <TR>
              <TH>Application</TH>
              <TH>Redirect URIs</TH>
              <TH>Users</TH>
              <TH>Actions</TH>
            </TR>
          </THead>
          <TBody>
            {applications.map((app) => (
              <TR key={app.id} data-testid={`application-row-${app.name}`}>
                <TD>
                  <span className="font-medium">{app.name}</span>{" "}
                  <Badge tone={app.confidential ? "blue" : "gray"}>{app.confidential ? "confidential" : "public"}</Badge>{" "}
                  {app.status === "disabled" ? <Badge tone="red">disabled by an administrator</Badge> : null}
                  <code className="block text-xs text-gray-500">{app.clientId}</code>
                  {app.secretHint ? <span className="block font-mono text-xs text-gray-500">{app.secretHint}</span> : null}
                  {app.previousSecretExpires ? (
                    <span className="block text-xs text-amber-800">previous secret valid until {app.previousSecretExpires}</span>
                  ) : null}
                </TD>
                <TD label="Redirect URIs" className="font-mono text-xs break-all">
                  {app.redirectUris.join(" ")}
                  <div className="text-gray-600">default scopes: {app.defaultScopes.join(" ")}</div>
                </TD>
                <TD label="Users" className="text-sm" data-testid="application-users">
                  {app.authorizedUsers}
                </TD>
                <TD className="space-y-2">
                  {app.confidential ? (
                    <form
                      className="flex flex-wrap items-center gap-1"
                      onSubmit={(event) => {
                        event.preventDefault();
                        void onRotate(app, new FormData(event.currentTarget));
                      }}
                    >
                      <Label htmlFor={`overlap-${app.id}`} className="text-xs">
                        old secret valid for (h)
                      </Label>
                      <Input id={`overlap-${app.id}`} name="overlapHours" type="number" min={0} max={168} step="any" defaultValue={24} className="w-20" />
                      <Button type="submit" size="sm" variant="secondary" disabled={pending}>
                        Rotate secret
                      </Button>
                    </form>
                  ) : null}
                  {confirmDelete === app.id ? (
                    <div className="flex flex-wrap gap-1">
                      <Button
                        size="sm"
                        variant="danger"
                        disabled={pending}
                        onClick={() => void call(`/api/applications/${app.id}`, "DELETE").then(() => setConfirmDelete(null))}
                      >
                        Delete {app.name} and revoke {plural(app.authorizedUsers, "user grant")}
                      </Button>
                      <Button size="sm" variant="secondary" onClick={() => setConfirmDelete(null)}>
                        Cancel
                      </Button>
                    </div>
                  ) : (
                    <Button size="sm" variant="danger" disabled={pending} onClick={() => setConfirmDelete(app.id)}>
                      Delete…
                    </Button>
                  )}
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      <form onSubmit={onCreate} className="space-y-4" aria-label="Register an application">
        <h2 className="text-lg font-semibold">Register an application</h2>
        <div className="space-y-1">
          <Label htmlFor="app-name">Name</Label>
          <Input id="app-name" name="name" required maxLength={100} placeholder="e.g. Calendar helper" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-description">Description</Label>
          <Input id="app-description" name="description" maxLength={500} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-homepage">Homepage URL</Label>
          <Input id="app-homepage" name="homepageUrl" type="url" maxLength={2000} placeholder="https://example.com" />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-redirects">Redirect URIs (one per line; https, or http only for 127.0.0.1, [::1] and localhost)</Label>
          <textarea
            id="app-redirects"
            name="redirectUris"
            required
            rows={3}
            className="block w-full rounded-md border border-gray-300 px-3 py-2 font-mono text-sm"
            placeholder="https://example.com/oauth/callback"
          />
        </div>
        <fieldset className="space-y-1">
          <legend className="text-sm font-medium">Type</legend>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="type" value="confidential" defaultChecked /> Confidential (a server that can keep a client secret)
          </label>
          <label className="flex items-center gap-2 text-sm">
            <input type="radio" name="type" value="public" /> Public (a browser or native app: no secret, PKCE only)
          </label>
        </fieldset>
        <fieldset className="space-y-1" data-testid="app-default-scopes">
          <legend className="text-sm font-medium">Default scopes (what a request that names no scope asks for; profile:read when none is ticked)</legend>
          {scopeChoices.map((choice) => (
            <label key={choice.scope} className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="defaultScopes" value={choice.scope} defaultChecked={choice.checked} />{" "}
              <code className="font-mono text-xs">{choice.scope}</code>
              <span className="text-gray-600">{choice.description}</span>
            </label>
          ))}
        </fieldset>
        <Button type="submit" disabled={pending}>
          {pending ? "Working…" : "Register application"}
        </Button>
      </form>
    </div>
  );
}
