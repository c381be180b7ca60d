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
      {/* The value never goes on a command line (shell history, `ps`): the shell reads it from a hidden prompt. */}
      <p className="text-sm text-gray-700 dark:text-gray-300">Try it: paste the token at the hidden prompt, then call the API with it.</p>
      <CodeBlock copy copyLabel="Copy command" data-testid="new-token-command">{`read -rs TESSERA_TOKEN && export TESSERA_TOKEN   # paste the token, then Enter
curl -H "Authorization: Bearer $TESSERA_TOKEN" ${origin}/api/v1/me`}</CodeBlock>
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
