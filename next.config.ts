import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Server-only packages that must not be bundled (native sockets, wasm, dynamic requires).
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "oidc-provider", "rate-limiter-flexible"],
  typedRoutes: false,
};

export default nextConfig;
