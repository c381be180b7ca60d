import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native sockets, wasm, dynamic requires).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "oidc-provider", "rate-limiter-flexible"],
  typedRoutes: false,
  // Server action bodies (forms of a few short fields) get the same 64 KiB ceiling as JSON API bodies (default 1 MB).
  experimental: { serverActions: { bodySizeLimit: "64kb" } },
};

export default nextConfig;
