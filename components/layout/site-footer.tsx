export function SiteFooter() {
  return (
    <footer className="border-t border-gray-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap justify-between gap-2 px-4 py-4 text-xs text-gray-500">
        <span>Tessera — self-hosted credential vault. Token values are never shown after creation.</span>
        <a href="/api/health" className="hover:text-gray-800">
          Status
        </a>
      </div>
    </footer>
  );
}
