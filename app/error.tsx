"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button, buttonClasses } from "@/components/ui/button";

/**
 * The route error boundary. It shows no error message or stack (they may name internals, and in
 * production Next.js strips server errors anyway) — only the digest, which matches the server log.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();

  function retry() {
    // Re-fetch the server components, then re-render the segment.
    startTransition(() => {
      router.refresh();
      reset();
    });
  }

  return (
    <div role="alert" className="space-y-4 py-20 text-center">
      <h1 className="text-3xl font-semibold tracking-tight text-gray-900 dark:text-gray-100">Something went wrong</h1>
      <p className="text-gray-600 dark:text-gray-400">This page could not be loaded. Nothing you entered has been lost from Tessera; please try again.</p>
      {error.digest ? (
        <p className="text-sm text-gray-500 dark:text-gray-400">
          Reference for your administrator: <code className="font-mono">{error.digest}</code>
        </p>
      ) : null}
      <div className="flex justify-center gap-3">
        <Button onClick={retry} disabled={pending}>
          {pending ? "Retrying…" : "Try again"}
        </Button>
        <Link href="/" className={buttonClasses("secondary", "md")}>
          Start page
        </Link>
      </div>
    </div>
  );
}
