export default function setup() {
  if (!process.env.TEST_DATABASE_URL) {
    console.warn(
      "\n⚠  TEST_DATABASE_URL is not set: integration tests run on the embedded PostgreSQL only; " +
        "the real-PostgreSQL half is SKIPPED. Set TEST_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test to run it.\n",
    );
  }
}
