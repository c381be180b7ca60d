"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Checkbox } from "@/components/ui/checkbox";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { FieldError } from "@/components/ui/field-error";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { fieldErrorId, useJsonApi, type FormFields } from "@/components/ui/use-json-api";

const EDIT_FIELDS: FormFields = {
  url: { id: "edit-webhook-url", fallback: "Enter the receiver's full address, such as https://example.com/hooks/tessera." },
  events: { id: "edit-webhook-event-0", fallback: "Choose at least one event." },
  description: { id: "edit-webhook-description", fallback: "Keep the description to one line of at most 200 characters." },
};

type TestResult = { deliveryId: string; delivered: boolean; statusCode: number | null; durationMs: number; problem: string | null };

/**
 * A webhook's actions on its detail page: send a test event (the result in words), edit its URL, events and description,
 * and delete it (behind the one ConfirmDialog, as on the list; afterwards there is nothing left here: back to the list).
 */
export function WebhookDetailPanel({
  webhook,
  events,
}: {
  webhook: { id: string; url: string; events: string[]; description: string | null };
  events: string[];
}) {
  const { call, error, formErrors, fieldProps, pending, lastError } = useJsonApi();
  const [result, setResult] = useState<TestResult | null>(null);
  const [saved, setSaved] = useState(0);

  async function onTest() {
    setResult(null);
    const answer = await call(`/api/admin/webhooks/${webhook.id}/test`, "POST");
    if (answer) setResult(answer as unknown as TestResult);
  }

  async function onEdit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const answer = await call(
      `/api/admin/webhooks/${webhook.id}`,
      "PATCH",
      { url: String(form.get("url") ?? "").trim(), events: form.getAll("events").map(String), description: String(form.get("description") ?? "").trim() },
      { fields: EDIT_FIELDS },
    );
    if (answer) setSaved((n) => n + 1);
  }

  return (
    <div className="space-y-6">
      {error ? <Alert tone="error">{error}</Alert> : null}
      <section className="space-y-2" aria-labelledby="webhook-test-heading">
        <h2 id="webhook-test-heading" className="text-lg font-semibold">
          Test
        </h2>
        <p className="text-sm text-gray-600 dark:text-gray-400">
          Sends a signed <code>webhook.test</code> event to this address now, once, and shows how the receiver answered.
        </p>
        <Button type="button" onClick={() => void onTest()} disabled={pending}>
          {pending ? "Sending…" : "Send test event"}
        </Button>
        {result ? (
          <FocusOnMount key={result.deliveryId}>
            <Alert tone={result.delivered ? "success" : "error"} data-testid="webhook-test-result">
              {result.delivered
                ? `Delivered: the receiver answered HTTP ${result.statusCode} in ${result.durationMs} ms.`
                : `Not delivered: ${result.problem ?? "unknown problem"}.`}{" "}
              <Link href={`/admin/webhooks/${webhook.id}/deliveries/${result.deliveryId}`} className="underline">
                See the delivery
              </Link>
            </Alert>
          </FocusOnMount>
        ) : null}
      </section>

      <form onSubmit={onEdit} className="space-y-4" aria-labelledby="webhook-edit-heading">
        <h2 id="webhook-edit-heading" className="text-lg font-semibold">
          Edit
        </h2>
        {saved ? (
          <FocusOnMount key={saved}>
            <Alert tone="success">Webhook saved.</Alert>
          </FocusOnMount>
        ) : null}
        <div className="space-y-1">
          <Label htmlFor="edit-webhook-url">URL</Label>
          <Input id="edit-webhook-url" name="url" type="url" required maxLength={2000} defaultValue={webhook.url} {...fieldProps("url", "edit-webhook-url")} />
          <FieldError id={fieldErrorId("edit-webhook-url")} messages={formErrors.fields.url} />
        </div>
        <div className="space-y-1">
          <Label htmlFor="edit-webhook-description">Description (optional)</Label>
          <Input
            id="edit-webhook-description"
            name="description"
            maxLength={200}
            defaultValue={webhook.description ?? ""}
            {...fieldProps("description", "edit-webhook-description")}
          />
          <FieldError id={fieldErrorId("edit-webhook-description")} messages={formErrors.fields.description} />
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium">Events</legend>
          {events.map((event, index) => (
            <label key={event} className="flex items-center gap-2 text-sm">
              <Checkbox
                id={`edit-webhook-event-${index}`}
                name="events"
                value={event}
                defaultChecked={webhook.events.includes(event)}
                {...fieldProps("events", "edit-webhook-event-0")}
              />
              <code className="font-mono">{event}</code>
            </label>
          ))}
          <FieldError id={fieldErrorId("edit-webhook-event-0")} messages={formErrors.fields.events} />
        </fieldset>
        {formErrors.form ? <Alert tone="error">{formErrors.form}</Alert> : null}
        <Button type="submit" disabled={pending}>
          Save changes
        </Button>
      </form>

      <section className="space-y-2" aria-labelledby="webhook-delete-heading">
        <h2 id="webhook-delete-heading" className="text-lg font-semibold">
          Delete
        </h2>
        <p className="text-sm text-gray-600 dark:text-gray-400">The endpoint gets no more events and its delivery log is deleted.</p>
        <ConfirmDialog
          triggerLabel="Delete…"
          title="Delete this webhook endpoint?"
          description={`${webhook.url} gets no more events, and its delivery log is deleted. This cannot be undone.`}
          confirmLabel="Delete endpoint and its delivery log"
          onConfirm={async () => {
            if (!(await call(`/api/admin/webhooks/${webhook.id}`, "DELETE"))) return lastError();
            window.location.assign("/admin/webhooks");
          }}
        />
      </section>
    </div>
  );
}
