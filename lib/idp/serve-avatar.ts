import type { ServerResponse } from "node:http";
import { findDemoUser } from "./demo-users";

const COLORS = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#16a34a", "#0891b2"];

/** A generated initials avatar, so `picture` / `avatar_url` point somewhere real without the internet. */
export function serveAvatar(login: string, res: ServerResponse): void {
  const user = findDemoUser(login);
  if (!user) {
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found");
    return;
  }
  const color = COLORS[[...user.login].reduce((sum, char) => sum + char.charCodeAt(0), 0) % COLORS.length];
  const initial = user.name
    .charAt(0)
    .toUpperCase()
    .replace(/[^A-Z0-9]/, "?");
  res.writeHead(200, { "content-type": "image/svg+xml", "cache-control": "public, max-age=3600", "x-content-type-options": "nosniff" });
  res.end(
    `<svg xmlns="http://www.w3.org/2000/svg" width="96" height="96" viewBox="0 0 96 96"><rect width="96" height="96" rx="48" fill="${color}"/>` +
      `<text x="48" y="62" font-family="sans-serif" font-size="44" text-anchor="middle" fill="#fff">${initial}</text></svg>`,
  );
}
