const README_SECTIONS = [
  { anchor: "quick-start", label: "Quick start" },
  { anchor: "configuration", label: "Configuration" },
  { anchor: "running-on-a-real-postgresql", label: "Running on PostgreSQL" },
  { anchor: "architecture", label: "Architecture" },
] as const;

const linkClass =
  "underline-offset-2 hover:text-gray-900 dark:hover:text-gray-100 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:focus-visible:outline-indigo-400";

/**
 * "Tessera — self-hosted credential vault", the health check, and the README's sections.
 * The README is not served by the app, so its sections are links only when `readmeUrl` (e.g. the
 * repository's README page) is given; otherwise they are named for the copy in the install.
 */
export function SiteFooter({ readmeUrl }: { readmeUrl?: string | null }) {
  return (
    <footer className="border-t border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900">
      <div className="mx-auto flex max-w-5xl flex-col gap-2 px-4 py-5 text-xs text-gray-500 dark:text-gray-400 sm:flex-row sm:items-start sm:justify-between">
        <div className="space-y-1">
          <p className="font-medium text-gray-700 dark:text-gray-300">Tessera — self-hosted credential vault</p>
          <p>Token values are never shown after creation.</p>
        </div>
        <nav aria-label="Footer">
          <ul className="flex flex-wrap gap-x-4 gap-y-1">
            <li>
              {/* A plain <a>: an API route, not a page. */}
              <a href="/api/health" className={linkClass}>
                Health check
              </a>
            </li>
            {readmeUrl ? (
              README_SECTIONS.map((section) => (
                <li key={section.anchor}>
                  <a href={`${readmeUrl}#${section.anchor}`} className={linkClass}>
                    {section.label}
                  </a>
                </li>
              ))
            ) : (
              <li>README.md: {README_SECTIONS.map((section) => section.label).join(" · ")}</li>
            )}
          </ul>
        </nav>
      </div>
    </footer>
  );
}
