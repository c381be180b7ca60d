import "server-only";
import { randomBytes, randomFillSync } from "node:crypto";

/*
 * Random bytes for hot paths (token values, audit ids, encryption IVs), drawn from a 4 KiB buffer that the CSPRNG
 * refills when it runs out. Node's randomBytes runs one native crypto job per call, ~5 µs here whatever the size, and a
 * token exchange asked for several (issue 26 found ~30 µs of its CPU there). Node's own crypto.randomUUID() keeps such
 * a cache for the same reason. The bytes are the same CSPRNG's; each one is handed out once: the caller gets a copy,
 * and the pool's copy is zeroed, so nothing handed out stays in memory here.
 */
const POOL_BYTES = 4096;
/** Larger draws go to the CSPRNG directly: they are rare (keys) and would waste most of a refill. */
const MAX_POOLED_BYTES = 256;

const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/** `size` random bytes, like crypto.randomBytes(size), in a Buffer the caller owns. */
export function pooledRandomBytes(size: number): Buffer {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError("pooledRandomBytes needs a non-negative whole number of bytes");
  if (size > MAX_POOLED_BYTES) return randomBytes(size);
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.alloc(size);
  pool.copy(bytes, 0, offset, offset + size);
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
