/** Moved to lib/access-tokens (issue 21); kept for existing callers. Changing PAT_HASH_PEPPER invalidates every credential. */
export { getTokenPepper as getPatPepper } from "@/lib/access-tokens/pepper";
