import "server-only";
import { access } from "node:fs/promises";
import path from "node:path";
import { cookies } from "next/headers";

/** The cookie an e2e test sets to hold one section: `<section>.<release token>`. */
export const SECTION_HOLD_COOKIE = "tessera-e2e-hold";
const HOLD_VALUE = /^([a-z][a-z-]{0,40})\.([a-z0-9]{16,64})$/;
const MAX_HOLD_MS = 30_000;
const POLL_MS = 50;

/**
 * Test-only, so an e2e test can see a section's loading skeleton without racing a clock: when
 * TESSERA_E2E_SECTION_HOLD_DIR is set (only playwright.config.ts's web server sets it) and the request carries
 * `tessera-e2e-hold=<section>.<token>`, the named section waits until the test creates the file `<dir>/<token>`
 * (at most 30 s, then it renders anyway). Without the variable this returns at once and reads no cookie.
 */
export async function holdSectionForE2e(section: string, env: Record<string, string | undefined> = process.env): Promise<void> {
  const dir = env.TESSERA_E2E_SECTION_HOLD_DIR;
  if (!dir) return;
  const match = HOLD_VALUE.exec((await cookies()).get(SECTION_HOLD_COOKIE)?.value ?? "");
  if (!match || match[1] !== section) return;
  const releaseFile = path.resolve(dir, match[2]!);
  const deadline = Date.now() + MAX_HOLD_MS;
  while (Date.now() < deadline) {
    try {
      await access(releaseFile);
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
}
