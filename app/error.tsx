"use client";

import { Button } from "@/components/ui/button";

export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="space-y-3 py-16 text-center">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p className="text-gray-600">The page could not be loaded.{error.digest ? ` Reference: ${error.digest}` : ""}</p>
      <Button onClick={reset}>Try again</Button>
    </div>
  );
}
