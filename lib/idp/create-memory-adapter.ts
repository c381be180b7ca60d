import type { Adapter, AdapterFactory, AdapterPayload } from "oidc-provider";

// Models whose records belong to a grant and die with it (revocation, refresh-token reuse).
const GRANTABLE = new Set(["AccessToken", "AuthorizationCode", "RefreshToken", "DeviceCode", "BackchannelAuthenticationRequest", "PreAuthorizedCode"]);
const PRUNE_EVERY_WRITES = 500;

type StoredRecord = { payload: AdapterPayload; expiresAt: number };

/**
 * In-memory storage for ONE oidc-provider instance. oidc-provider's built-in memory adapter keeps a
 * single module-wide LRU capped at 1000 entries: in a long demo or a big test run it silently evicts
 * live grants (refreshes then fail with invalid_grant), and every instance in the process shares it.
 * Expired records are dropped on read and swept every few hundred writes: no timers to clean up.
 */
export function createMemoryAdapter(): AdapterFactory {
  const records = new Map<string, StoredRecord>();
  const sessionKeysByUid = new Map<string, string>();
  const keysByUserCode = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();
  let writes = 0;

  const remove = (key: string) => {
    const record = records.get(key);
    if (!record) return;
    records.delete(key);
    const { uid, userCode, grantId } = record.payload;
    if (uid && sessionKeysByUid.get(uid) === key) sessionKeysByUid.delete(uid);
    if (userCode && keysByUserCode.get(userCode) === key) keysByUserCode.delete(userCode);
    if (grantId) {
      const members = keysByGrant.get(grantId);
      members?.delete(key);
      if (members?.size === 0) keysByGrant.delete(grantId);
    }
  };

  const read = (key: string | undefined): AdapterPayload | undefined => {
    if (!key) return undefined;
    const record = records.get(key);
    if (!record) return undefined;
    if (record.expiresAt <= Date.now()) {
      remove(key);
      return undefined;
    }
    return record.payload;
  };

  const prune = () => {
    const now = Date.now();
    for (const [key, record] of records) if (record.expiresAt <= now) remove(key);
  };

  return (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        remove(key);
        records.set(key, { payload, expiresAt: typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Infinity });
        if (model === "Session" && payload.uid) sessionKeysByUid.set(payload.uid, key);
        if (payload.userCode) keysByUserCode.set(payload.userCode, key);
        if (GRANTABLE.has(model) && payload.grantId) {
          const members = keysByGrant.get(payload.grantId) ?? new Set<string>();
          members.add(key);
          keysByGrant.set(payload.grantId, members);
        }
        if (++writes % PRUNE_EVERY_WRITES === 0) prune();
      },
      async find(id) {
        return read(keyOf(id));
      },
      async findByUid(uid) {
        return read(sessionKeysByUid.get(uid));
      },
      async findByUserCode(userCode) {
        return read(keysByUserCode.get(userCode));
      },
      async consume(id) {
        const payload = read(keyOf(id));
        if (payload) payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        remove(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of [...(keysByGrant.get(grantId) ?? [])]) remove(key);
        keysByGrant.delete(grantId);
      },
    };
  };
}
