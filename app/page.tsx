import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { getViewer } from "@/lib/auth/viewer";

const JOBS = [
  {
    title: "Connected accounts",
    href: "/settings/connections",
    text: "Sign in with Google, Microsoft or GitHub. Tessera keeps the provider's access and refresh tokens, encrypted, so your background jobs can call calendar, mail or repository APIs as you — refreshed when needed, with a clear “reconnect” when a grant dies. Cut API access any time without losing your login.",
  },
  {
    title: "Personal access tokens",
    href: "/settings/tokens",
    text: "Named, scoped, expiring tokens for scripts and CI. Shown once, listed forever without their value, revocable at once — the next request with a revoked token fails, on every server.",
  },
  {
    title: "Administration",
    href: "/admin",
    text: "Administrators see what every account can reach — provider tokens and PATs by name and count, never values — revoke everything a user holds in one action, and read the audit trail.",
  },
];

const PROTECTIONS = [
  "Provider tokens are stored only as AES-256-GCM ciphertext, bound to their row and field, under rotatable keys.",
  "Personal access tokens are stored as HMAC-SHA-256 hashes; the tsr_pat_ prefix and checksum let secret scanners find leaked ones.",
  "Token values never appear in responses, pages, logs or audit events.",
  "Every change to a credential is written to an append-only audit log.",
];

export default async function HomePage() {
  const viewer = await getViewer();
  return (
    <div className="space-y-10">
      <section className="space-y-4 py-6">
        <h1 className="text-4xl font-bold tracking-tight text-gray-900">Tessera keeps the keys people hand to software</h1>
        <p className="max-w-3xl text-lg text-gray-600">
          One place for the credentials your tools act with: OAuth grants from the providers you sign in with, and personal access tokens for your
          scripts — encrypted, audited and revocable.
        </p>
        {viewer ? (
          <Link href="/settings/connections" className={buttonClasses("primary", "md")}>
            Open your connections
          </Link>
        ) : (
          <Link href="/signin" className={buttonClasses("primary", "md")}>
            Sign in
          </Link>
        )}
      </section>
      <section className="grid gap-4 md:grid-cols-3">
        {JOBS.map((job) => (
          <Card key={job.title}>
            <CardHeader>
              <CardTitle>
                <Link href={job.href} className="hover:underline">
                  {job.title}
                </Link>
              </CardTitle>
            </CardHeader>
            <CardContent className="text-sm text-gray-700">{job.text}</CardContent>
          </Card>
        ))}
      </section>
      <section className="grid gap-6 md:grid-cols-2">
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">How your tokens are protected</h2>
          <ul className="list-disc space-y-1 pl-5 text-sm text-gray-700">
            {PROTECTIONS.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
        <div className="space-y-2">
          <h2 className="text-lg font-semibold">From a script</h2>
          <CodeBlock>{`curl -H "Authorization: Bearer tsr_pat_…" http://localhost:3000/api/v1/me`}</CodeBlock>
        </div>
      </section>
    </div>
  );
}
