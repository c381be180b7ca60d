import { join, relative } from "node:path";
import type { Plugin } from "vite";
import { HTTP_METHODS, isDocumentedRouteFile, routeFilePath } from "./route-path";

const EXPORTED_METHOD = new RegExp(`^export\\s+(const|let|async\\s+function|function)\\s+(${HTTP_METHODS.join("|")})\\b`, "gm");
const OTHER_EXPORT_OF_METHOD = new RegExp(`export\\s*\\{[^}]*\\b(${HTTP_METHODS.join("|")})\\b[^}]*\\}`);

/**
 * Vitest only: rewrites every route file under app/api and app/.well-known so each exported HTTP
 * method goes through recordRouteResponses, which checks each response against the API reference
 * (routes listed in UNDOCUMENTED_ROUTES, lib/api-docs/paths/index.ts, are passed through unchecked).
 */
export function routeRecorderPlugin(root: string): Plugin {
  const appDir = join(root, "app");
  const recorder = join(root, "tests/contract/record-route-responses.ts");
  return {
    name: "tessera-contract-route-recorder",
    enforce: "pre",
    transform(code, id) {
      const file = id.split("?")[0]!;
      if (!file.startsWith(appDir + "/") || !file.endsWith("/route.ts") || !isDocumentedRouteFile(relative(appDir, file))) return null;
      const routePath = routeFilePath(appDir, file);
      if (OTHER_EXPORT_OF_METHOD.test(code))
        throw new Error(`${file}: export HTTP methods as \`export const GET\` or \`export async function GET\` (the contract recorder wraps those)`);
      const methods: string[] = [];
      const rewritten = code.replace(EXPORTED_METHOD, (_match, kind: string, method: string) => {
        methods.push(method);
        return `${kind} ${method}`;
      });
      if (!methods.length) return null;
      const wrappers = methods.map(
        (method) => `const __contract_${method} = __recordRouteResponses(${JSON.stringify(routePath)}, ${JSON.stringify(method)}, ${method});`,
      );
      const exports = `export { ${methods.map((method) => `__contract_${method} as ${method}`).join(", ")} };`;
      return {
        code: `${rewritten}\nimport { recordRouteResponses as __recordRouteResponses } from ${JSON.stringify(recorder)};\n${wrappers.join("\n")}\n${exports}\n`,
        map: null,
      };
    },
  };
}
