"use client";

import { useEffect, useId, useRef, type ReactNode, type RefObject } from "react";
import { useFormStatus } from "react-dom";
import { Button, type ButtonSize, type ButtonVariant } from "./button";
import { SubmitButton } from "./submit-button";

/** Cancel / Confirm, aware of the form's pending state; closes the dialog once the action has finished. */
function DialogActions({
  dialog,
  confirmLabel,
  pendingLabel,
  confirmVariant,
}: {
  dialog: RefObject<HTMLDialogElement | null>;
  confirmLabel: string;
  pendingLabel: string;
  confirmVariant: ButtonVariant;
}) {
  const { pending } = useFormStatus();
  const wasPending = useRef(false);
  useEffect(() => {
    if (wasPending.current && !pending) dialog.current?.close();
    wasPending.current = pending;
  }, [pending, dialog]);

  return (
    <div className="flex justify-end gap-2 pt-2">
      {/* First focusable element, so the dialog opens on the safe choice. */}
      <Button variant="secondary" disabled={pending} onClick={() => dialog.current?.close()}>
        Cancel
      </Button>
      <SubmitButton variant={confirmVariant} pendingLabel={pendingLabel}>
        {confirmLabel}
      </SubmitButton>
    </div>
  );
}

/**
 * A destructive action behind a confirmation. The trigger button opens a native modal `<dialog>`
 * (focus trapped, Escape or a click on the backdrop cancels); only Confirm submits
 * `<form action={action}>` with `hiddenFields` as hidden inputs, showing "Working…" while it runs.
 */
export function ConfirmDialog({
  triggerLabel,
  title,
  description,
  confirmLabel = "Confirm",
  pendingLabel = "Working…",
  action,
  hiddenFields = {},
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
  action: (formData: FormData) => void | Promise<void>;
  hiddenFields?: Record<string, string>;
  triggerVariant?: ButtonVariant;
  triggerSize?: ButtonSize;
  triggerClassName?: string;
  confirmVariant?: ButtonVariant;
  disabled?: boolean;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  return (
    <>
      <Button
        size={triggerSize}
        variant={triggerVariant}
        className={triggerClassName}
        disabled={disabled}
        aria-haspopup="dialog"
        onClick={() => dialog.current?.showModal()}
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
        className="m-auto w-[calc(100%-2rem)] max-w-md rounded-lg border border-gray-200 bg-white p-0 text-gray-900 shadow-xl backdrop:bg-gray-950/50"
      >
        <form action={action} className="space-y-3 p-5">
          {Object.entries(hiddenFields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <h2 id={titleId} className="text-lg font-semibold">
            {title}
          </h2>
          <div id={descriptionId} className="text-sm text-gray-700">
            {description}
          </div>
          <DialogActions dialog={dialog} confirmLabel={confirmLabel} pendingLabel={pendingLabel} confirmVariant={confirmVariant} />
        </form>
      </dialog>
    </>
  );
}
