"use client";

import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { FieldError } from "@/components/ui/field-error";
import { Input, fieldClasses } from "@/components/ui/input";
import { cn } from "@/lib/ui/cn";
import { formatDateTime } from "@/lib/ui/format";
import { Label } from "@/components/ui/label";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { fieldErrorId, useJsonApi, type FormFields } from "@/components/ui/use-json-api";
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

/** The registration form's fields by the API's names: where an error about each goes, in plain words. */
const APPLICATION_FIELDS: FormFields = {
  name: { id: "app-name", fallback: "Give the application a name of up to 100 characters." },
  description: { id: "app-description", fallback: "Keep the description to 500 characters." },
  homepageUrl: { id: "app-homepage", fallback: "Enter the homepage as a full address, such as https://example.com." },
  redirectUris: { id: "app-redirects", fallback: "Enter each redirect URI as a full address, one per line." },
  defaultScopes: { id: "app-default-scope-0", fallback: "Choose default scopes from the list." },
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
  const { call, error, formErrors, fieldProps, pending, lastError } = useJsonApi();
  const [secret, setSecret] = useState<Secret | null>(null);
  const [registered, setRegistered] = useState<{ name: string; clientId: string } | null>(null);
  // What the last delete did: it takes focus, since the row and the dialog that did it are gone.
  const [done, setDone] = useState<{ n: number; message: string } | null>(null);

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const text = (name: string) => String(form.get(name) ?? "").trim();
    const created = await call(
      "/api/applications",
      "POST",
      {
        name: text("name"),
        ...(text("description") ? { description: text("description") } : {}),
        ...(text("homepageUrl") ? { homepageUrl: text("homepageUrl") } : {}),
        redirectUris: text("redirectUris").split(/\s+/).filter(Boolean),
        confidential: form.get("type") !== "public",
        defaultScopes: form.getAll("defaultScopes").map(String),
      },
      { fields: APPLICATION_FIELDS },
    );
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
    if (!rotated) return lastError();
    setSecret({
      title: `New secret for “${app.name}”; the old one works until ${formatDateTime(String(rotated.previousSecretExpiresAt))}.`,
      clientId: app.clientId,
      clientSecret: String(rotated.clientSecret),
    });
  }

  return (
    <div className="space-y-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      {done ? (
        <FocusOnMount key={done.n}>
          <Alert tone="success">{done.message}</Alert>
        </FocusOnMount>
      ) : null}
      {registered && !secret ? (
        <Alert tone="success" data-testid="new-application">
          Public application “{registered.name}” registered: client id <code>{registered.clientId}</code>{" "}
          <CopyButton value={registered.clientId} label="Copy client id" />. It has no secret; it proves itself with PKCE.
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
            <p className="flex flex-wrap items-center gap-2 text-sm">
              Client id: <code data-testid="new-application-client-id">{secret.clientId}</code>
              <CopyButton value={secret.clientId} label="Copy client id" />
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
                  <code className="block text-xs text-gray-500 dark:text-gray-400">{app.clientId}</code>
                  {app.secretHint ? <span className="block font-mono text-xs text-gray-500 dark:text-gray-400">{app.secretHint}</span> : null}
                  {app.previousSecretExpires ? (
                    <span className="block text-xs text-amber-800 dark:text-amber-200">previous secret valid until {app.previousSecretExpires}</span>
                  ) : null}
                </TD>
                <TD label="Redirect URIs" className="font-mono text-xs break-all">
                  {app.redirectUris.join(" ")}
                  <div className="text-gray-600 dark:text-gray-400">default scopes: {app.defaultScopes.join(" ")}</div>
                </TD>
                <TD label="Users" className="text-sm" data-testid="application-users">
                  {app.authorizedUsers}
                </TD>
                <TD label="Actions">
                  {/* Every action that breaks something asks first, in the one ConfirmDialog. */}
                  <div className="flex flex-wrap gap-1">
                    {app.confidential ? (
                      <ConfirmDialog
                        triggerLabel="Rotate secret"
                        triggerVariant="secondary"
                        title={`Rotate the secret of “${app.name}”?`}
                        description="A new secret is shown once. The application must switch to it before the old one stops working."
                        confirmLabel="Rotate secret"
                        onConfirm={(form) => onRotate(app, form)}
                      >
                        <div className="space-y-1">
                          <Label htmlFor={`overlap-${app.id}`}>Hours the old secret keeps working</Label>
                          <Input id={`overlap-${app.id}`} name="overlapHours" type="number" min={0} max={168} step="any" defaultValue={24} className="w-32" />
                        </div>
                      </ConfirmDialog>
                    ) : null}
                    <ConfirmDialog
                      triggerLabel="Delete…"
                      title={`Delete “${app.name}”?`}
                      description="Everyone who authorized it loses the access they gave it, at once. This cannot be undone."
                      confirmLabel={`Delete ${app.name} and revoke ${plural(app.authorizedUsers, "user grant")}`}
                      onConfirm={async () => {
                        if (!(await call(`/api/applications/${app.id}`, "DELETE"))) return lastError();
                        setSecret(null);
                        setDone((previous) => ({ n: (previous?.n ?? 0) + 1, message: `Application “${app.name}” deleted.` }));
                      }}
                    />
                  </div>
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
          <Input id="app-name" name="name" required maxLength={100} placeholder="e.g. Calendar helper" {...fieldProps("name", "app-name")} />
          <FieldError id={fieldErrorId("app-name")} messages={formErrors.fields.name} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-description">Description</Label>
          <Input id="app-description" name="description" maxLength={500} {...fieldProps("description", "app-description")} />
          <FieldError id={fieldErrorId("app-description")} messages={formErrors.fields.description} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-homepage">Homepage URL</Label>
          <Input
            id="app-homepage"
            name="homepageUrl"
            type="url"
            maxLength={2000}
            placeholder="https://example.com"
            {...fieldProps("homepageUrl", "app-homepage")}
          />
          <FieldError id={fieldErrorId("app-homepage")} messages={formErrors.fields.homepageUrl} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="app-redirects">Redirect URIs (one per line; https, or http only for 127.0.0.1, [::1] and localhost)</Label>
          <textarea
            id="app-redirects"
            name="redirectUris"
            required
            rows={3}
            className={cn("block w-full font-mono", fieldClasses)}
            placeholder="https://example.com/oauth/callback"
            {...fieldProps("redirectUris", "app-redirects")}
          />
          <FieldError id={fieldErrorId("app-redirects")} messages={formErrors.fields.redirectUris} />
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
          {scopeChoices.map((choice, index) => (
            <label key={choice.scope} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                id={`app-default-scope-${index}`}
                name="defaultScopes"
                value={choice.scope}
                defaultChecked={choice.checked}
                {...fieldProps("defaultScopes", "app-default-scope-0")}
              />{" "}
              <code className="font-mono text-xs">{choice.scope}</code>
              <span className="text-gray-600 dark:text-gray-400">{choice.description}</span>
            </label>
          ))}
          <FieldError id={fieldErrorId("app-default-scope-0")} messages={formErrors.fields.defaultScopes} />
        </fieldset>
        {formErrors.form ? <Alert tone="error">{formErrors.form}</Alert> : null}
        <Button type="submit" disabled={pending}>
          {pending ? "Working…" : "Register application"}
        </Button>
      </form>
    </div>
  );
}
