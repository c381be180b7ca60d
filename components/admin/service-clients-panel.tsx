"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { CodeBlock } from "@/components/ui/code-block";
import { CopyButton } from "@/components/ui/copy-button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";
import { FieldError } from "@/components/ui/field-error";
import { Input, fieldClasses } from "@/components/ui/input";
import { cn } from "@/lib/ui/cn";
import { formatDateTime } from "@/lib/ui/format";
import { Label } from "@/components/ui/label";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { fieldErrorId, useJsonApi, type FormFields } from "@/components/ui/use-json-api";

export type ServiceRow = {
  id: string;
  clientId: string;
  name: string;
  permissions: string[];
  proxyAllow: string[];
  status: "active" | "disabled";
  lastUsed: string;
  exchangesLast24h: number;
  previousSecretExpires: string | null;
};

/** The create form's fields by the API's names: where an error about each goes, in plain words. */
const SERVICE_FIELDS: FormFields = {
  name: { id: "service-name", fallback: "Give the service a name of up to 100 characters." },
  description: { id: "service-description", fallback: "Keep the description to 500 characters." },
  permissions: { id: "service-permission-0", fallback: "Choose at least one permission." },
  proxyAllow: { id: "service-proxy-allow", fallback: "Write each entry as METHODS provider:/path, one per line." },
};

type Secret = { title: string; clientId: string; clientSecret: string };

/** One allow-list entry per line (blank lines ignored); the API checks each and stores its explicit form. */
function allowListOf(text: FormDataEntryValue | null): string[] {
  return String(text ?? "")
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean);
}

/**
 * Service clients through the admin API (same-origin session): create and rotate show the secret once,
 * in this component's state only; disable/enable and delete (after a confirmation) refresh the list;
 * the provider API proxy's allow-list is edited per service.
 */
export function ServiceClientsPanel({
  services,
  permissions,
  permissionWords,
  tokenUrl,
  showCreate = true,
}: {
  services: ServiceRow[];
  /** False on a service's detail page: its row and actions only. */
  showCreate?: boolean;
  permissions: string[];
  /** Each permission in words (lib/service-clients/describe-permission.ts). */
  permissionWords: Record<string, string>;
  tokenUrl: string;
}) {
  const { call, error, formErrors, fieldProps, pending, lastError } = useJsonApi();
  const [secret, setSecret] = useState<Secret | null>(null);
  // What the last row action did: it takes focus, since the row or the dialog that did it may be gone.
  const [done, setDone] = useState<{ n: number; message: string } | null>(null);
  const say = (message: string) => setDone((previous) => ({ n: (previous?.n ?? 0) + 1, message }));

  async function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const description = String(form.get("description") ?? "").trim();
    const created = await call(
      "/api/admin/services",
      "POST",
      {
        name: String(form.get("name") ?? ""),
        ...(description ? { description } : {}),
        permissions: form.getAll("permissions").map(String),
        proxyAllow: allowListOf(form.get("proxyAllow")),
      },
      { fields: SERVICE_FIELDS },
    );
    if (created) {
      setSecret({ title: `Service “${String(created.name)}” created.`, clientId: String(created.clientId), clientSecret: String(created.clientSecret) });
      formElement.reset();
    }
  }

  async function onRotate(service: ServiceRow, form: FormData) {
    const hours = Number(form.get("overlapHours") ?? 24);
    const rotated = await call(`/api/admin/services/${service.id}/rotate-secret`, "POST", { overlapSeconds: Math.round(hours * 3600) });
    if (!rotated) return lastError();
    setDone(null);
    setSecret({
      title: `New secret for “${service.name}”; the old one works until ${formatDateTime(String(rotated.previousSecretExpiresAt))}.`,
      clientId: service.clientId,
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
      {secret ? (
        <SecretShownOnce
          testId="new-service-secret"
          heading={secret.title}
          warning="Copy the secret now: it will not be shown again. Tessera keeps only a hash of it."
          value={secret.clientSecret}
          onDone={() => setSecret(null)}
          before={
            <p className="flex flex-wrap items-center gap-2 text-sm">
              Client id: <code>{secret.clientId}</code>
              <CopyButton value={secret.clientId} label="Copy client id" />
            </p>
          }
        >
          {/* The secret never goes on a command line (shell history, `ps`): the shell reads it from a hidden prompt. */}
          <p className="text-sm text-gray-700 dark:text-gray-300">Try it: paste the secret at the hidden prompt, then ask for a token with it.</p>
          <CodeBlock
            copy
            copyLabel="Copy command"
            data-testid="new-service-secret-command"
          >{`read -rs TESSERA_CLIENT_SECRET && export TESSERA_CLIENT_SECRET   # paste the secret, then Enter
curl -u "${secret.clientId}:$TESSERA_CLIENT_SECRET" ${tokenUrl} -d grant_type=client_credentials`}</CodeBlock>
        </SecretShownOnce>
      ) : null}

      <Table label="Services">
        <THead>
          <TR>
            <TH>Name</TH>
            <TH>Permissions</TH>
            <TH>Status</TH>
            <TH>Last used</TH>
            <TH>Exchanges (24 h)</TH>
            <TH>Actions</TH>
          </TR>
        </THead>
        <TBody>
          {services.map((service) => (
            <TR key={service.id} data-testid="service-row">
              <TD>
                <Link href={`/admin/services/${service.id}`} className="font-medium text-indigo-700 dark:text-indigo-300 underline-offset-2 hover:underline">
                  {service.name}
                </Link>
                <code className="block text-xs text-gray-500 dark:text-gray-400">{service.clientId}</code>
                {service.previousSecretExpires ? (
                  <span className="block text-xs text-amber-800 dark:text-amber-200">previous secret valid until {service.previousSecretExpires}</span>
                ) : null}
              </TD>
              <TD label="Permissions" className="text-xs">
                <ul className="space-y-0.5" aria-label={`Permissions of ${service.name}`}>
                  {service.permissions.map((permission) => (
                    <li key={permission}>
                      {permissionWords[permission] ?? permission} <code className="text-gray-500 dark:text-gray-400">{permission}</code>
                    </li>
                  ))}
                </ul>
                <form
                  className="mt-2 space-y-1"
                  aria-label={`Proxy allow-list of ${service.name}`}
                  onSubmit={(event) => {
                    event.preventDefault();
                    void call(`/api/admin/services/${service.id}`, "PATCH", { proxyAllow: allowListOf(new FormData(event.currentTarget).get("proxyAllow")) });
                  }}
                >
                  <Label htmlFor={`proxy-allow-${service.id}`} className="text-xs">
                    Proxy allow-list {service.proxyAllow.length === 0 ? "(empty: nothing allowed)" : null}
                  </Label>
                  <textarea
                    // Keyed by the stored list: after a save the box shows what was stored (`google:/x` → `GET google:/x`).
                    key={service.proxyAllow.join("\n")}
                    id={`proxy-allow-${service.id}`}
                    name="proxyAllow"
                    rows={Math.max(2, service.proxyAllow.length)}
                    defaultValue={service.proxyAllow.join("\n")}
                    placeholder="GET google:/calendar/v3"
                    aria-describedby="proxy-allow-help"
                    className="block w-full max-w-56 rounded border border-gray-300 dark:border-gray-700 px-2 py-1 font-mono text-xs"
                  />
                  <Button type="submit" size="sm" variant="secondary" disabled={pending}>
                    Save allow-list
                  </Button>
                </form>
              </TD>
              <TD label="Status">
                <Badge tone={service.status === "active" ? "green" : "gray"}>{service.status}</Badge>
              </TD>
              <TD label="Last used" className="text-xs">
                {service.lastUsed}
              </TD>
              <TD label="Exchanges (24 h)" className="text-xs">
                {service.exchangesLast24h}
              </TD>
              <TD label="Actions">
                {/* Every action that breaks something asks first, in the one ConfirmDialog; Enable does not. */}
                <div className="flex flex-wrap gap-1">
                  <ConfirmDialog
                    triggerLabel="Rotate secret"
                    triggerVariant="secondary"
                    title={`Rotate the secret of “${service.name}”?`}
                    description="A new secret is shown once. The service must switch to it before the old one stops working."
                    confirmLabel="Rotate secret"
                    onConfirm={(form) => onRotate(service, form)}
                  >
                    <div className="space-y-1">
                      <Label htmlFor={`overlap-${service.id}`}>Hours the old secret keeps working</Label>
                      <Input id={`overlap-${service.id}`} name="overlapHours" type="number" min={0} max={168} step="any" defaultValue={24} className="w-32" />
                    </div>
                  </ConfirmDialog>
                  {service.status === "active" ? (
                    <ConfirmDialog
                      triggerLabel="Disable"
                      triggerVariant="secondary"
                      title={`Disable “${service.name}”?`}
                      description="It can no longer obtain tokens or call providers until it is enabled again; its access tokens stop working."
                      confirmLabel="Disable service"
                      onConfirm={async () => {
                        const ok = await call(`/api/admin/services/${service.id}`, "PATCH", { status: "disabled" });
                        if (!ok) return lastError();
                        say(`Service “${service.name}” disabled.`);
                      }}
                    />
                  ) : (
                    <Button
                      size="sm"
                      variant="secondary"
                      disabled={pending}
                      onClick={() =>
                        void call(`/api/admin/services/${service.id}`, "PATCH", { status: "active" }).then(
                          (ok) => ok && say(`Service “${service.name}” enabled.`),
                        )
                      }
                    >
                      Enable
                    </Button>
                  )}
                  <ConfirmDialog
                    triggerLabel="Delete…"
                    title={`Delete “${service.name}”?`}
                    description="The service and its tokens stop working at once. This cannot be undone."
                    confirmLabel={`Delete ${service.name} and its tokens`}
                    onConfirm={async () => {
                      const ok = await call(`/api/admin/services/${service.id}`, "DELETE");
                      if (!ok) return lastError();
                      // On the service's own page there is nothing left to show: back to the list.
                      if (!showCreate) return window.location.assign("/admin/services");
                      say(`Service “${service.name}” deleted.`);
                    }}
                  />
                </div>
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>

      {showCreate ? (
        <form onSubmit={onCreate} className="space-y-4" aria-label="Create a service client">
          <h2 className="text-lg font-semibold">New service</h2>
          <div className="space-y-1">
            <Label htmlFor="service-name">Name</Label>
            <Input id="service-name" name="name" required maxLength={100} placeholder="e.g. calendar sync" {...fieldProps("name", "service-name")} />
            <FieldError id={fieldErrorId("service-name")} messages={formErrors.fields.name} />
          </div>
          <div className="space-y-1">
            <Label htmlFor="service-description">Description</Label>
            <Input id="service-description" name="description" maxLength={500} {...fieldProps("description", "service-description")} />
            <FieldError id={fieldErrorId("service-description")} messages={formErrors.fields.description} />
          </div>
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium">Permissions</legend>
            {permissions.map((permission, index) => (
              <label key={permission} className="flex items-center gap-2 text-sm">
                <Checkbox id={`service-permission-${index}`} name="permissions" value={permission} {...fieldProps("permissions", "service-permission-0")} />
                <span>
                  {permissionWords[permission] ?? permission} <code className="font-mono text-xs text-gray-500 dark:text-gray-400">{permission}</code>
                </span>
              </label>
            ))}
            <FieldError id={fieldErrorId("service-permission-0")} messages={formErrors.fields.permissions} />
          </fieldset>
          <div className="space-y-1">
            <Label htmlFor="service-proxy-allow">Provider API proxy allow-list</Label>
            <textarea
              id="service-proxy-allow"
              name="proxyAllow"
              rows={3}
              placeholder={"GET google:/calendar/v3\nGET,POST github:/repos/acme/issues"}
              className={cn("block w-full max-w-md font-mono", fieldClasses)}
              {...fieldProps("proxyAllow", "service-proxy-allow", "proxy-allow-help")}
            />
            <FieldError id={fieldErrorId("service-proxy-allow")} messages={formErrors.fields.proxyAllow} />
            <p id="proxy-allow-help" className="max-w-md text-xs text-gray-500 dark:text-gray-400">
              One <code>METHODS provider:/path/prefix</code> per line, e.g. <code>GET google:/calendar/v3</code> or{" "}
              <code>GET,POST github:/repos/acme/issues</code>. METHODS is <code>GET</code>, <code>HEAD</code>, <code>POST</code>, <code>PUT</code>,{" "}
              <code>PATCH</code>, <code>DELETE</code>, a comma list of them, or <code>*</code> for all; <code>GET</code> also allows <code>HEAD</code>. A line
              without METHODS allows <code>GET</code> and <code>HEAD</code> only. The prefix covers its sub-paths (<code>/items</code> allows{" "}
              <code>/items/7</code>, never <code>/itemsX</code>). Needs a <code>proxy:…</code> permission; empty allows no proxied call.
            </p>
          </div>
          {formErrors.form ? <Alert tone="error">{formErrors.form}</Alert> : null}
          <Button type="submit" disabled={pending}>
            {pending ? "Working…" : "Create service"}
          </Button>
        </form>
      ) : null}
    </div>
  );
}
