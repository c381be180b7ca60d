import Link from "next/link";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { getViewer } from "@/lib/auth/viewer";

type Job = { title: string; href: string; linkLabel: string; audience?: string; icon: ReactNode; text: string[] };

const iconProps = {
  "aria-hidden": true,
  viewBox: "0 0 24 24",
  fill: "none",
  stroke: "currentColor",
  strokeWidth: 1.75,
  strokeLinecap: "round",
  strokeLinejoin: "round",
  className: "size-5",
} as const;

const JOBS: Job[] = [
  {
    title: "Connected accounts",
    href: "/settings/connections",
    linkLabel: "Manage connections",
    icon: (
      <svg {...iconProps}>
        <path d="M10 13.5a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
        <path d="M14 10.5a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
      </svg>
    ),
    text: [
      "Sign in with Google, Microsoft Entra ID or GitHub, and Tessera keeps that provider's access and refresh tokens, encrypted, so background jobs can call its APIs on your behalf.",
      "Tokens are refreshed when they run out; when a grant dies you are asked to reconnect.",
      "You can cut API access at any time without losing your sign-in.",
    ],
  },
  {
    title: "Personal access tokens",
    href: "/settings/tokens",
    linkLabel: "Manage tokens",
    icon: (
      <svg {...iconProps}>
        <circle cx="8" cy="15" r="4" />
        <path d="M11 12 20 3M16.5 6.5l2.5 2.5M14 9l2 2" />
      </svg>
    ),
    text: [
      "Named, scoped, expiring tokens for scripts and CI, sent as an Authorization: Bearer header.",
      "A token's value is shown once, when you create it; it is listed forever by name, never by value.",
      "Revoke one and the next request that uses it fails.",
    ],
  },
  {
    title: "Administration",
    href: "/admin",
    linkLabel: "Open administration",
    audience: "Admins",
    icon: (
      <svg {...iconProps}>
        <path d="M12 3 4.5 6v5.5c0 4.5 3.2 8.2 7.5 9.5 4.3-1.3 7.5-5 7.5-9.5V6L12 3Z" />
        <path d="m9 12 2 2 4-4" />
      </svg>
    ),
    text: [
      "Administrators see every user's stored provider tokens and personal access tokens, by name and count, never by value.",
      "In an incident, revoke everything a user holds in one action.",
      "Every change is in the audit trail.",
    ],
  },
];

const PROTECTIONS: { title: string; text: ReactNode }[] = [
  {
    title: "Encrypted at rest",
    text: (
      <>
        Provider tokens are stored only as AES-256-GCM ciphertext, with the row and field as associated data, so a ciphertext copied to another row or user will
        not decrypt. Keys can be rotated.
      </>
    ),
  },
  {
    title: "Hashed, not stored",
    text: (
      <>
        Personal access tokens are kept as HMAC-SHA-256 hashes. The <code className="font-mono text-[0.9em]">tsr_pat_</code> prefix and a checksum let secret
        scanners recognise a leaked token.
      </>
    ),
  },
  {
    title: "Never repeated",
    text: "Token values never appear in responses, pages, logs or audit events. The only exception is the one-time display when you create a token.",
  },
  {
    title: "Audited",
    text: "Every change to a credential is written to the audit trail: tokens stored, refreshed or disconnected, personal access tokens created or revoked, sessions ended, keys rotated.",
  },
];

async function requestOrigin(): Promise<string> {
  const list = await headers();
  const host = list.get("x-forwarded-host") ?? list.get("host");
  if (!host) return "http://localhost:3000";
  const proto = list.get("x-forwarded-proto")?.split(",")[0]?.trim() || "http";
  return `${proto}://${host}`;
}

export default async function HomePage() {
  const [viewer, origin] = await Promise.all([getViewer(), requestOrigin()]);
  const curl = `curl -H "Authorization: Bearer tsr_pat_…" ${origin}/api/v1/me`;

  return (
    <div className="space-y-14">
      <section className="space-y-5 pt-4" aria-labelledby="hero-title">
        <p className="text-sm font-semibold tracking-wide text-indigo-700 dark:text-indigo-300 uppercase">Self-hosted credential vault</p>
        <h1 id="hero-title" className="max-w-3xl text-4xl font-bold tracking-tight text-balance text-gray-900 dark:text-gray-100 sm:text-5xl">
          Tessera keeps the keys people hand to software
        </h1>
        <p className="max-w-2xl text-lg text-gray-600 dark:text-gray-400">
          One place for the credentials your tools act with: the OAuth grants from the accounts you sign in with, and personal access tokens for your scripts.
          Encrypted, audited and revocable at once.
        </p>
        <div className="flex flex-wrap gap-3">
          {viewer ? (
            <>
              <Link href="/settings/connections" className={buttonClasses("primary", "md")}>
                Open your connections
              </Link>
              <Link href="/settings/tokens" className={buttonClasses("secondary", "md")}>
                Create a token
              </Link>
            </>
          ) : (
            <>
              <Link href="/signin" className={buttonClasses("primary", "md")}>
                Sign in
              </Link>
              <a href="#protection" className={buttonClasses("secondary", "md")}>
                How tokens are protected
              </a>
            </>
          )}
        </div>
      </section>

      <section aria-labelledby="jobs-title" className="space-y-4">
        <h2 id="jobs-title" className="sr-only">
          What Tessera does
        </h2>
        <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
          {JOBS.map((job) => (
            <Card key={job.title}>
              <CardHeader className="border-b-0 pb-0">
                <div className="flex items-center justify-between">
                  <span className="inline-flex size-9 items-center justify-center rounded-md bg-indigo-50 dark:bg-indigo-950/50 text-indigo-700 dark:text-indigo-300">
                    {job.icon}
                  </span>
                  {job.audience ? <Badge tone="blue">{job.audience}</Badge> : null}
                </div>
                <CardTitle as="h3" className="pt-2">
                  {job.title}
                </CardTitle>
              </CardHeader>
              <CardContent>
                <CardDescription className="space-y-2">
                  {job.text.map((sentence) => (
                    <p key={sentence}>{sentence}</p>
                  ))}
                </CardDescription>
              </CardContent>
              <CardFooter className="border-t-0 pt-0 pb-5">
                <Link
                  href={job.href}
                  className="text-sm font-medium text-indigo-700 dark:text-indigo-300 hover:text-indigo-900 dark:hover:text-indigo-200 hover:underline"
                >
                  {job.linkLabel} <span aria-hidden="true">→</span>
                </Link>
              </CardFooter>
            </Card>
          ))}
        </div>
      </section>

      <section className="grid grid-cols-1 gap-10 md:grid-cols-2">
        <div id="protection" className="scroll-mt-8 space-y-4">
          <h2 className="text-xl font-semibold tracking-tight">How your tokens are protected</h2>
          <ul className="space-y-3">
            {PROTECTIONS.map((item) => (
              <li key={item.title} className="flex gap-3 text-sm text-gray-700 dark:text-gray-300">
                <svg
                  aria-hidden="true"
                  viewBox="0 0 24 24"
                  fill="none"
                  stroke="currentColor"
                  strokeWidth="2.5"
                  strokeLinecap="round"
                  strokeLinejoin="round"
                  className="mt-0.5 size-4 shrink-0 text-green-600 dark:text-green-400"
                >
                  <path d="M5 12.5l4.5 4.5L19 7.5" />
                </svg>
                <span>
                  <strong className="font-semibold text-gray-900 dark:text-gray-100">{item.title}.</strong> {item.text}
                </span>
              </li>
            ))}
          </ul>
        </div>
        <div className="space-y-4">
          <h2 className="text-xl font-semibold tracking-tight">From a script</h2>
          <p className="text-sm text-gray-700 dark:text-gray-300">
            Create a personal access token, then send it as a bearer token. <code className="font-mono text-[0.9em]">/api/v1/me</code> says who the token
            belongs to and what it may do.
          </p>
          <CodeBlock copy aria-label="Example request with a personal access token">
            {curl}
          </CodeBlock>
        </div>
      </section>
    </div>
  );
}
