import type { ConsentScope } from "@/lib/oauth-apps/consent-scopes";

/**
 * What an application asks to do, one scope a line with its description; `new` marks what the person has
 * not granted it before. Shared by the two consent screens (/oauth/authorize and /device).
 */
export function ConsentScopeList({ scopes }: { scopes: readonly ConsentScope[] }) {
  return (
    <ul className="space-y-2" data-testid="consent-scopes">
      {scopes.map((scope) => (
        <li key={scope.name} className="rounded-md border border-gray-200 dark:border-gray-800 p-2 text-sm">
          <code className="font-mono text-xs">{scope.name}</code>
          {scope.isNew ? <span className="ml-2 rounded bg-amber-100 dark:bg-amber-900/50 px-1.5 text-xs text-amber-900 dark:text-amber-200">new</span> : null}
          <div className="text-gray-700 dark:text-gray-300">{scope.description}</div>
        </li>
      ))}
    </ul>
  );
}
