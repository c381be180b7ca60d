/** Moved to lib/access-tokens (issue 21), which alone knows credential formats; kept for its many callers. */
export * from "@/lib/access-tokens/pat-format";
export { PAT_PREFIX } from "@/lib/access-tokens/prefixes";
