/**
 * Full-width amber notice while the built-in demo identity provider stands in for the real ones.
 * A landmark (not a live region): it is there from the first paint and never changes.
 */
export function DemoBanner({
  show,
  connectProviders = [],
}: {
  show: boolean;
  /** Connect-only providers the demo IdP also plays. */ connectProviders?: string[];
}) {
  if (!show) return null;
  return (
    <aside
      aria-label="Demo mode"
      data-testid="demo-banner"
      className="border-b border-amber-500 dark:border-amber-400 bg-amber-300 dark:bg-amber-800 px-4 py-2 text-amber-950 dark:text-amber-100"
    >
      <p className="mx-auto flex max-w-5xl items-start justify-center gap-2 text-center text-sm font-medium">
        <svg
          aria-hidden="true"
          viewBox="0 0 24 24"
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
          className="mt-0.5 size-4 shrink-0"
        >
          <path d="M12 3 2.5 20h19L12 3Z" />
          <path d="M12 10v4M12 17h.01" />
        </svg>
        <span>
          <strong>Demo identity provider</strong> — you are signing in against Tessera&apos;s built-in OAuth/OIDC server, not the real Google, Microsoft or
          GitHub{connectProviders.length ? ` (nor ${connectProviders.join(", ")}, which it plays for connecting)` : ""}. Any username works and the password is
          ignored, so anyone who can reach this server can sign in as anyone, the admin included.
        </span>
      </p>
    </aside>
  );
}
