type Env = Readonly<Record<string, string | undefined>>;
type HeaderReader = { get(name: string): string | null };

/**
 * Whether this request reached Tessera over https, decided the way Auth.js picks its cookie names:
 * AUTH_URL's scheme when it is set, else the x-forwarded-proto Next.js fills in (it keeps a
 * proxy's value and otherwise says whether the socket was TLS).
 */
export function isHttpsRequest(headers: HeaderReader, env: Env = process.env): boolean {
  const configured = env.AUTH_URL ?? env.NEXTAUTH_URL;
  if (configured) {
    try {
      return new URL(configured).protocol === "https:";
    } catch {
      // An unparsable AUTH_URL: fall back to the request, as Auth.js's own checks will complain.
    }
  }
  return headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase() === "https";
}
