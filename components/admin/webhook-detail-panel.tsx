"use client";

import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FocusOnMount } from "@/components/ui/focus-on-mount";
import { useJsonApi } from "@/components/ui/use-json-api";
import { DeleteWebhookDialog, readWebhookForm, WebhookEndpointFields, webhookFormFields } from "./webhook-endpoint-fields";

const EDIT_FIELDS = webhookFormFields("edit-webhook");

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
    const answer = await call(`/api/admin/webhooks/${webhook.id}`, "PATCH", readWebhookForm(form), { fields: EDIT_FIELDS });
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
        <WebhookEndpointFields prefix="edit-webhook" events={events} initial={webhook} formErrors={formErrors} fieldProps={fieldProps} />
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
        <DeleteWebhookDialog
          url={webhook.url}
          onConfirm={async () => {
            if (!(await call(`/api/admin/webhooks/${webhook.id}`, "DELETE"))) return lastError();
            window.location.assign("/admin/webhooks");
          }}
        />
      </section>
    </div>
  );
}
