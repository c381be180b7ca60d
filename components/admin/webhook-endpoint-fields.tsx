"use client";

import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FieldError } from "@/components/ui/field-error";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { fieldErrorId, type FormErrors, type FormFields, type useJsonApi } from "@/components/ui/use-json-api";

/*
 * A webhook endpoint's form, shared by the list's "New endpoint" and an endpoint's "Edit": the same fields, the same
 * words for their errors, the same body for the API. `prefix` keeps the two forms' control ids apart.
 */

/** The form's fields by the API's names: where an error about each goes, in plain words. */
export function webhookFormFields(prefix: string): FormFields {
  return {
    url: { id: `${prefix}-url`, fallback: "Enter the receiver's full address, such as https://example.com/hooks/tessera." },
    events: { id: `${prefix}-event-0`, fallback: "Choose at least one event." },
    description: { id: `${prefix}-description`, fallback: "Keep the description to one line of at most 200 characters." },
  };
}

/** What the API takes from the form (create and edit alike). */
export function readWebhookForm(form: FormData): { url: string; events: string[]; description: string } {
  return { url: String(form.get("url") ?? "").trim(), events: form.getAll("events").map(String), description: String(form.get("description") ?? "").trim() };
}

export function WebhookEndpointFields({
  prefix,
  events,
  initial,
  formErrors,
  fieldProps,
}: {
  prefix: string;
  /** Every event an endpoint can subscribe to. */
  events: string[];
  /** The endpoint as it is (edit); none for a new one. */
  initial?: { url: string; description: string | null; events: string[] };
  formErrors: FormErrors;
  fieldProps: ReturnType<typeof useJsonApi>["fieldProps"];
}) {
  return (
    <>
      <div className="space-y-1">
        <Label htmlFor={`${prefix}-url`}>URL</Label>
        <Input
          id={`${prefix}-url`}
          name="url"
          type="url"
          required
          maxLength={2000}
          placeholder="https://example.com/hooks/tessera"
          defaultValue={initial?.url}
          {...fieldProps("url", `${prefix}-url`)}
        />
        <FieldError id={fieldErrorId(`${prefix}-url`)} messages={formErrors.fields.url} />
      </div>
      <div className="space-y-1">
        <Label htmlFor={`${prefix}-description`}>Description (optional)</Label>
        <Input
          id={`${prefix}-description`}
          name="description"
          maxLength={200}
          placeholder="Security team's incident channel"
          defaultValue={initial?.description ?? undefined}
          {...fieldProps("description", `${prefix}-description`)}
        />
        <FieldError id={fieldErrorId(`${prefix}-description`)} messages={formErrors.fields.description} />
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">Events</legend>
        {events.map((event, index) => (
          <label key={event} className="flex items-center gap-2 text-sm">
            <Checkbox
              id={`${prefix}-event-${index}`}
              name="events"
              value={event}
              defaultChecked={initial?.events.includes(event)}
              {...fieldProps("events", `${prefix}-event-0`)}
            />
            <code className="font-mono">{event}</code>
          </label>
        ))}
        <FieldError id={fieldErrorId(`${prefix}-event-0`)} messages={formErrors.fields.events} />
      </fieldset>
    </>
  );
}

/** Deleting an endpoint, on the list and on its own page: the one ConfirmDialog, the same words. */
export function DeleteWebhookDialog({ url, onConfirm }: { url: string; onConfirm: () => Promise<string | void> }) {
  return (
    <ConfirmDialog
      triggerLabel="Delete…"
      title="Delete this webhook endpoint?"
      description={`${url} gets no more events, and its delivery log is deleted. This cannot be undone.`}
      confirmLabel="Delete endpoint and its delivery log"
      onConfirm={onConfirm}
    />
  );
}
