import { CodeBlock } from "@/components/ui/code-block";
import { SecretShownOnce } from "@/components/ui/secret-shown-once";

/**
 * The one place a new token value is shown (after creation or regeneration): the caller keeps it in
 * component state only, so a reload cannot show it again.
 */
export function NewTokenPanel({ heading, token, origin, onDone }: { heading: string; token: string; origin: string; onDone: () => void }) {
  return (
    <SecretShownOnce
      testId="new-token"
      heading={heading}
      warning="Copy it now: it will not be shown again. Tessera keeps only a hash of it."
      value={token}
      onDone={onDone}
    >
      <p className="text-sm text-gray-700 dark:text-gray-300">Try it:</p>
      <CodeBlock>{`curl -H "Authorization: Bearer ${token}" ${origin}/api/v1/me`}</CodeBlock>
      <p className="text-sm text-gray-700 dark:text-gray-300">
        Every endpoint, the scope it needs and a curl example:{" "}
        <a href="/docs" className="font-medium text-indigo-700 dark:text-indigo-300 underline" data-testid="new-token-docs-link">
          API reference
        </a>
        .
      </p>
    </SecretShownOnce>
  );
}
