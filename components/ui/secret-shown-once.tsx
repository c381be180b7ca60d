import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CodeBlock } from "@/components/ui/code-block";

/**
 * The one place a new secret (token, client secret, signing secret) is shown. Callers keep the value in
 * component state only, so a reload or "Done" loses it for good: Tessera keeps a hash, not the value.
 * Its Copy button takes focus when it appears (issue 25 §5: copying is the one thing to do next).
 */
export function SecretShownOnce({
  testId,
  heading,
  warning,
  value,
  onDone,
  before,
  children,
}: {
  testId: string;
  heading: string;
  warning: string;
  value: string;
  onDone: () => void;
  /** Shown between the heading and the warning (e.g. the public client id). */
  before?: ReactNode;
  /** Shown under the value (e.g. a curl line that uses it). */
  children?: ReactNode;
}) {
  return (
    <div className="space-y-3 rounded-lg border border-green-300 dark:border-green-700 bg-green-50 dark:bg-green-950/50 p-4" data-testid={testId}>
      <p className="font-medium text-green-900 dark:text-green-200">{heading}</p>
      {before}
      <Alert tone="warning">{warning}</Alert>
      <CodeBlock copy copyAutoFocus data-testid={`${testId}-value`}>
        {value}
      </CodeBlock>
      {children}
      <Button variant="secondary" size="sm" onClick={onDone}>
        Done
      </Button>
    </div>
  );
}
