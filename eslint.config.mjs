import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { FlatCompat } from "@eslint/eslintrc";

const compat = new FlatCompat({ baseDirectory: dirname(fileURLToPath(import.meta.url)) });

const config = [
  { ignores: [".scratch/**", "node_modules/**", ".next/**", ".data/**", "lib/db/generated/**", "test-results/**", "playwright-report/**", "next-env.d.ts"] },
  ...compat.extends("next/core-web-vitals", "next/typescript"),
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": ["error", { allow: ["error"] }],
    },
  },
  { files: ["scripts/**", "e2e/**", "tests/**", "**/*.test.ts"], rules: { "no-console": "off" } },
  // Imports run downward only: app/ → components/ and lib/; lib/ never reaches up (tests/structure/layers.test.ts ranks lib/ itself).
  {
    files: ["lib/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/app/*", "@/components/*"], message: "lib/ sits below app/ and components/: pass data down, never import up." }] },
      ],
    },
  },
  // components/ are presentational and may end up in the browser: data arrives as props, and from lib/ they take
  // types only (plus the UI helpers, the provider catalogue and the notice texts), never the database or a secret.
  {
    files: ["components/**"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/lib/(?!ui/|providers/|actions/|api-docs/)",
              allowTypeImports: true,
              message: "components/ are presentational: take data as props and import only types from lib/.",
            },
            { regex: "^(pg|@prisma/.*|node:.*|@/lib/db/.*)$", message: "components/ never touch the database or Node built-ins." },
          ],
        },
      ],
    },
  },
];

export default config;
