"use client";

import { useRef } from "react";
import { Button, type ButtonVariant } from "./button";
import { SubmitButton } from "./submit-button";

/**
 * A destructive action behind a confirmation: the trigger opens a modal <dialog>; only "Confirm"
 * submits the server action (with the hidden fields), showing a pending state while it runs.
 */
export function ConfirmDialog({
  triggerLabel,
  title,
  description,
  confirmLabel = "Confirm",
  action,
  hiddenFields = {},
  triggerVariant = "danger",
}: {
  triggerLabel: string;
  title: string;
  description: string;
  confirmLabel?: string;
  action: (formData: FormData) => Promise<void>;
  hiddenFields?: Record<string, string>;
  triggerVariant?: ButtonVariant;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button size="sm" variant={triggerVariant} onClick={() => dialog.current?.showModal()}>
        {triggerLabel}
      </Button>
      <dialog ref={dialog} aria-label={title} className="m-auto w-full max-w-md rounded-lg p-0 shadow-xl backdrop:bg-black/40">
        <form action={action} className="space-y-4 p-5">
          {Object.entries(hiddenFields).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <h2 className="text-lg font-semibold">{title}</h2>
          <p className="text-sm text-gray-700">{description}</p>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => dialog.current?.close()}>
              Cancel
            </Button>
            <SubmitButton variant="danger">{confirmLabel}</SubmitButton>
          </div>
        </form>
      </dialog>
    </>
  );
}
