import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup() {
  if (!process.env.TEST_DATABASE_URL) {
    console.warn(
      "\n⚠  TEST_DATABASE_URL is not set: integration tests run on the embedded PostgreSQL only; " +
        "the real-PostgreSQL half is SKIPPED. Set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run it.\n",
    );
  }
  // Where the contract recorder (tests/contract) notes each route response it checked, for the summary below.
  const dir = mkdtempSync(join(tmpdir(), "tessera-contract-"));
  process.env.TESSERA_CONTRACT_DIR = dir;
  return () => {
    summariseContractCoverage(dir);
    rmSync(dir, { recursive: true, force: true });
  };
}

/** One line: how many route responses were checked against the API reference, and which statuses. */
function summariseContractCoverage(dir: string) {
  const seen = new Map<string, number>();
  for (const file of readdirSync(dir)) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n").filter(Boolean)) {
      const { method, path, status } = JSON.parse(line) as { method: string; path: string; status: number };
      const key = `${method} ${path} ${status}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  if (!seen.size) return;
  const total = [...seen.values()].reduce((sum, count) => sum + count, 0);
  console.log(`\ncontract: ${total} route responses checked against the API reference, ${seen.size} distinct (method, route, status).`);
  if (process.env.CONTRACT_COVERAGE) console.log([...seen.keys()].sort().join("\n"));
}
