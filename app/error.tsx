"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Button, buttonClasses } from "@/components/ui/button";
import { signInAgain } from "@/components/ui/use-json-api";

/**
 * Whether this page failed because the session behind it has ended (a server action posted without one is
 * redirected to sign-in by middleware, which the action's fetch cannot follow): no session any more, and the
 * page itself now asks for a sign-in.
 */
async function sessionEnded(): Promise<boolean> {
  const session = await fetch("/api/auth/session", { cache: "no-store" }).then((response) => (response.ok ? response.json() : undefined));
  if (session !== null) return false;
  const page = await fetch(window.location.pathname + window.location.search, { redirect: "manual", cache: "no-store" });
  return page.type === "opaqueredirect";
}

/**
 * The route error boundary. It shows no error message or stack (they may name internals, and in
 * production Next.js strips server errors anyway) — only the digest, which matches the server log.
 * When the session has ended (issue 25 §3) the person is sent to sign in and back to this page instead.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [ended, setEnded] = useState(false);

  useEffect(() => {
    let current = true;
    sessionEnded()
      .then((yes) => {
        if (!yes || !current) return;
        setEnded(true);
        signInAgain();
      })
      .catch(() => {});
    return () => {
      current = false;
    };
  }, []);

  if (ended)
    return (
      <p role="status" className="py-20 text-center text-gray-700 dark:text-gray-300">
        Your session has ended. Taking you to sign in; you will come back to this page.
      </p>
    );

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
