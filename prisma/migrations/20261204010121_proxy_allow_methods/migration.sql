-- (No semicolons in these comments: the migration runner took one for the end of a statement.)
-- Provider API proxy allow-list entries now name their methods (`GET google:/calendar/v3`). An entry written
-- before that (`google:/calendar/v3`) has always meant "read these paths", and the code now reads a method-less
-- entry as GET (which also allows HEAD). Rewrite the stored ones into that explicit form so what is stored says
-- what it allows. Entries that already carry a method contain a space (paths and provider ids never do): kept.
-- Order within each list is kept, and lists without a method-less entry are not touched.
UPDATE "ServiceClient"
SET "proxyAllow" = ARRAY(
  SELECT CASE WHEN position(' ' IN entry) > 0 THEN entry ELSE 'GET ' || entry END
  FROM unnest("proxyAllow") WITH ORDINALITY AS listed(entry, n)
  ORDER BY n
)
WHERE EXISTS (SELECT 1 FROM unnest("proxyAllow") AS listed(entry) WHERE position(' ' IN entry) = 0);
