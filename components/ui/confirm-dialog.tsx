"use client";

import { useEffect, useId, useRef, useState, type ReactNode, type RefObject } from "react";
import { useFormStatus } from "react-dom";
import { Alert } from "./alert";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { SubmitButton } from "./submit-button";

/** Cancel / Confirm, aware of the form's pending state; closes the dialog once the action has finished. */
function DialogActions({
  dialog,
  confirmLabel,
  pendingLabel,
  confirmVariant,
  busy,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  confirmLabel: string;
  pendingLabel: string;
  confirmVariant: ButtonVariant;
  /** An `onConfirm` call is running (useFormStatus sees only server actions). */
  busy: boolean;
}) {
  const status = useFormStatus();
  const pending = status.pending || busy;
  // A server action closes the dialog when it has finished; an onConfirm call closes it itself, only on success.
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !status.pending) dialog.current?.close();
    wasPending.current = status.pending;
  }, [status.pending, dialog]);

  return (
    <div className="flex justify-end gap-2 pt-2">
      {/* The dialog opens on the safe choice (focused on open, even when fields come first). */}
      <Button variant="secondary" disabled={pending} onClick={() => dialog.current?.close()} data-cancel>
        Cancel
      </Button>
      <SubmitButton variant={confirmVariant} pendingLabel={pendingLabel} disabled={busy}>
        {confirmLabel}
      </SubmitButton>
    </div>
  );
}

/**
 * Every breaking action behind one confirmation (issue 25: one ConfirmDialog, not three styles). The trigger
 * button opens a native modal `<dialog>` (focus trapped, Escape or a click on the backdrop cancels); only Confirm
 * submits: a server action (`action`, with `hiddenFields` as hidden inputs) or a client call (`onConfirm`, given
 * the dialog's form data; the dialog stays open and shows the message it resolves to when it failed). `children`
 * are extra fields inside the dialog (e.g. how long an old secret keeps working).
 */
export function ConfirmDialog({
  triggerLabel,
  title,
  description,
  confirmLabel = "Confirm",
  pendingLabel = "Working…",
  action,
  onConfirm,
  hiddenFields = {},
  children,
  triggerVariant = "danger",
  triggerSize = "sm",
  triggerClassName,
  confirmVariant = "danger",
  disabled = false,
}: {
  triggerLabel: ReactNode;
  title: string;
  description: ReactNode;
  confirmLabel?: string;
  pendingLabel?: string;
  action?: (formData: FormData) => void | Promise<void>;
  /** Resolves to a message (shown in the dialog, which stays open) when it failed. */
  onConfirm?: (formData: FormData) => Promise<string | void>;
  hiddenFields?: Record<string, string>;
  children?: ReactNode;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  confirmVariant?: ButtonVariant;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);

  async function confirm(form: HTMLFormElement) {
    if (!onConfirm) return;
    setBusy(true);
    setFailure(null);
    try {
      const problem = await onConfirm(new FormData(form));
      if (typeof problem === "string") setFailure(problem);
      else dialog.current?.close();
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button
        size={triggerSize}
        variant={triggerVariant}
        className={triggerClassName}
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => {
          dialog.current?.showModal();
          dialog.current?.querySelector<HTMLButtonElement>("[data-cancel]")?.focus();
        }}
      >
        {triggerLabel}
      </Button>
      <dialog
        ref={dialog}
        aria-labelledby={titleId}
        aria-describedby={descriptionId}
        // A click on the backdrop lands on the <dialog> itself; clicks inside land on the form.
        onClick={(event) => {
          if (event.target === event.currentTarget) event.currentTarget.close();
        }}
        onClose={() => setFailure(null)}
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-0 text-gray-900 dark:text-gray-100 shadow-xl backdrop:bg-gray-950/50"
      >
        <form
          action={action}
          onSubmit={
            onConfirm
              ? (event) => {
                  event.preventDefault();
                  void confirm(event.currentTarget);
                }
              : undefined
          }
          className="space-y-3 p-5"
        >
          {Object.entries(hiddenFields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={descriptionId} className="text-sm text-gray-700 dark:text-gray-300">
            {description}
          </div>
          {children}
          {failure ? <Alert tone="error">{failure}</Alert> : null}
          <DialogActions dialog={dialog} confirmLabel={confirmLabel} pendingLabel={pendingLabel} confirmVariant={confirmVariant} busy={busy} />
        </form>
      </dialog>
    </>
  );
}
