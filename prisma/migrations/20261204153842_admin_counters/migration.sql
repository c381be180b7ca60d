-- CreateTable
CREATE TABLE "AdminCounter" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "delta" BIGINT NOT NULL,

    CONSTRAINT "AdminCounter_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ProviderConnection_nextRefreshAt_idx" ON "ProviderConnection"("nextRefreshAt");

-- Issue 26: the admin overview's counts without a scan. Each write statement on the four counted tables appends
-- what it changed, per key, from its transition tables (a bulk insert of a million rows adds a handful of rows
-- here, not a million); reading a count is summing its key (lib/admin/admin-counters.ts), and a job folds the
-- rows into one per key. Keys: users, admins, accounts:<provider>, connections_active:<provider>,
-- connections_needs_reconnect, pats_revoked, pats_unrevoked:<UTC day the token expires>.
-- This file is run statement by statement by lib/migrations/split-sql-statements.ts (dollar quotes stay whole).
CREATE FUNCTION tessera_user_counter_keys(r "User") RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN r.role = 'ADMIN' THEN ARRAY['users', 'admins'] ELSE ARRAY['users'] END
$$;

CREATE FUNCTION tessera_account_counter_keys(r "Account") RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT ARRAY['accounts:' || r.provider]
$$;

CREATE FUNCTION tessera_connection_counter_keys(r "ProviderConnection") RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE r.status WHEN 'ACTIVE' THEN ARRAY['connections_active:' || r.provider] WHEN 'NEEDS_RECONNECT' THEN ARRAY['connections_needs_reconnect'] ELSE ARRAY[]::text[] END
$$;

CREATE FUNCTION tessera_pat_counter_keys(r "PersonalAccessToken") RETURNS text[] LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN r."revokedAt" IS NOT NULL THEN ARRAY['pats_revoked'] ELSE ARRAY['pats_unrevoked:' || to_char(r."expiresAt", 'YYYY-MM-DD')] END
$$;

-- Inserts and deletes, one body per table (a trigger function cannot take the key function as an argument without
-- dynamic SQL). Updates go through the row triggers below.
CREATE FUNCTION tessera_count_users() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM new_rows r, unnest(tessera_user_counter_keys(r)) k GROUP BY k;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, -count(*) FROM old_rows r, unnest(tessera_user_counter_keys(r)) k GROUP BY k;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_accounts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM new_rows r, unnest(tessera_account_counter_keys(r)) k GROUP BY k;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, -count(*) FROM old_rows r, unnest(tessera_account_counter_keys(r)) k GROUP BY k;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_connections() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM new_rows r, unnest(tessera_connection_counter_keys(r)) k GROUP BY k;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, -count(*) FROM old_rows r, unnest(tessera_connection_counter_keys(r)) k GROUP BY k;
  END IF;
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_pats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM new_rows r, unnest(tessera_pat_counter_keys(r)) k GROUP BY k;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO "AdminCounter" (key, delta) SELECT k, -count(*) FROM old_rows r, unnest(tessera_pat_counter_keys(r)) k GROUP BY k;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER tessera_count_users_insert AFTER INSERT ON "User" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_users();
CREATE TRIGGER tessera_count_users_delete AFTER DELETE ON "User" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_users();
CREATE TRIGGER tessera_count_accounts_insert AFTER INSERT ON "Account" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_accounts();
CREATE TRIGGER tessera_count_accounts_delete AFTER DELETE ON "Account" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_accounts();
CREATE TRIGGER tessera_count_connections_insert AFTER INSERT ON "ProviderConnection" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_connections();
CREATE TRIGGER tessera_count_connections_delete AFTER DELETE ON "ProviderConnection" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_connections();
CREATE TRIGGER tessera_count_pats_insert AFTER INSERT ON "PersonalAccessToken" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_pats();
CREATE TRIGGER tessera_count_pats_delete AFTER DELETE ON "PersonalAccessToken" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION tessera_count_pats();

-- Updates are counted row by row, and only when a counted column changed: an UPDATE statement trigger with transition
-- tables cannot name columns, so it ran on every last-used stamp of the token exchange and the proxy (their hot
-- path). A row trigger `UPDATE OF <column> ... WHEN (changed)` costs nothing there.
CREATE FUNCTION tessera_count_update(old_keys text[], new_keys text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "AdminCounter" (key, delta)
  SELECT k, sum(d) FROM (SELECT unnest(old_keys) AS k, -1 AS d UNION ALL SELECT unnest(new_keys), 1) c GROUP BY k HAVING sum(d) <> 0
$$;

CREATE FUNCTION tessera_count_users_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_count_update(tessera_user_counter_keys(OLD), tessera_user_counter_keys(NEW));
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_accounts_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_count_update(tessera_account_counter_keys(OLD), tessera_account_counter_keys(NEW));
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_connections_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_count_update(tessera_connection_counter_keys(OLD), tessera_connection_counter_keys(NEW));
  RETURN NULL;
END
$$;

CREATE FUNCTION tessera_count_pats_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM tessera_count_update(tessera_pat_counter_keys(OLD), tessera_pat_counter_keys(NEW));
  RETURN NULL;
END
$$;

CREATE TRIGGER tessera_count_users_update AFTER UPDATE OF role ON "User" FOR EACH ROW WHEN (OLD.role IS DISTINCT FROM NEW.role) EXECUTE FUNCTION tessera_count_users_row();
CREATE TRIGGER tessera_count_accounts_update AFTER UPDATE OF provider ON "Account" FOR EACH ROW WHEN (OLD.provider IS DISTINCT FROM NEW.provider) EXECUTE FUNCTION tessera_count_accounts_row();
CREATE TRIGGER tessera_count_connections_update AFTER UPDATE OF status, provider ON "ProviderConnection" FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.provider IS DISTINCT FROM NEW.provider) EXECUTE FUNCTION tessera_count_connections_row();
CREATE TRIGGER tessera_count_pats_update AFTER UPDATE OF "revokedAt", "expiresAt" ON "PersonalAccessToken" FOR EACH ROW WHEN ((OLD."revokedAt" IS NULL) IS DISTINCT FROM (NEW."revokedAt" IS NULL) OR OLD."expiresAt" IS DISTINCT FROM NEW."expiresAt") EXECUTE FUNCTION tessera_count_pats_row();

-- What is already there, counted once (migrations run before the app serves).
INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM "User" r, unnest(tessera_user_counter_keys(r)) k GROUP BY k;
INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM "Account" r, unnest(tessera_account_counter_keys(r)) k GROUP BY k;
INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM "ProviderConnection" r, unnest(tessera_connection_counter_keys(r)) k GROUP BY k;
INSERT INTO "AdminCounter" (key, delta) SELECT k, count(*) FROM "PersonalAccessToken" r, unnest(tessera_pat_counter_keys(r)) k GROUP BY k;
