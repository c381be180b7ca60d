"use client";

import { useFormStatus } from "react-dom";
import { Button, type ButtonProps } from "./button";
import { Spinner } from "./spinner";

/**
 * A submit button for a `<form action={serverAction}>`: disabled and "Working…" (or `pendingLabel`)
 * while the form it sits in is submitting. Must be rendered inside that form.
 */
export function SubmitButton({ children, pendingLabel = "Working…", disabled, ...props }: Omit<ButtonProps, "type"> & { pendingLabel?: string }) {
  const { pending } = useFormStatus();
  return (
    <Button {...props} type="submit" disabled={pending || disabled} aria-busy={pending || undefined}>
      {pending ? (
        <>
          <Spinner label={null} />
          {pendingLabel}
        </>
      ) : (
        children
      )}
    </Button>
  );
}
