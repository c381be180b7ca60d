import type { Metadata } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import { ConnectClientsCard } from "@/components/docs/connect-clients-card";
import { EndpointCard } from "@/components/docs/endpoint-card";
import { McpServerCard } from "@/components/docs/mcp-server-card";
import { InlineText } from "@/components/docs/inline-text";
import { PageHeader } from "@/components/layout/page-header";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { getOpenApiDocument } from "@/lib/api-docs/openapi-document";
import { buildReference } from "@/lib/api-docs/reference-model";
import { referenceServerUrl } from "@/lib/api-docs/server-url";
import { authorizationServerMetadata } from "@/lib/oauth/authorization-server-metadata";
import { PROTECTED_RESOURCE_METADATA_PATH } from "@/lib/oauth/protected-resource-metadata";
import { FALLBACK_DEFAULT_SCOPES } from "@/lib/oauth-apps/app-scopes";
import { DEVICE_VERIFICATION_PATH } from "@/lib/oauth-apps/device-authorization";
import { API_RESOURCE, MCP_RESOURCE, protectedResourceMetadataUrl, resourceUrl } from "@/lib/oauth-apps/protected-resources";
import { SCOPE_CATALOGUE } from "@/lib/pat/scopes";

export const metadata: Metadata = { title: "API reference" };

/** Public, like /api/openapi.json: the reference describes the API and holds no secrets. */
export default async function DocsPage() {
  const serverUrl = referenceServerUrl(await headers(), "http://localhost:3000");
  const sections = buildReference(getOpenApiDocument(serverUrl));
  // serverUrl is issuerFor's answer (a plain origin), so these are the URLs discovery hands out.
  const discovery = authorizationServerMetadata(serverUrl);
  const clientUrls = {
    resource: resourceUrl(serverUrl, API_RESOURCE),
    resourceMetadata: protectedResourceMetadataUrl(serverUrl, API_RESOURCE),
    rootResourceMetadata: `${serverUrl}${PROTECTED_RESOURCE_METADATA_PATH}`,
    issuer: discovery.issuer,
    authorizationServerMetadata: `${serverUrl}/.well-known/oauth-authorization-server`,
    authorize: discovery.authorization_endpoint,
    token: discovery.token_endpoint,
    register: discovery.registration_endpoint,
    deviceAuthorization: discovery.device_authorization_endpoint,
    device: `${serverUrl}${DEVICE_VERIFICATION_PATH}`,
  };

  return (
    <div className="space-y-8">
      <PageHeader
        title="API reference"
        description={
          <>
            Every endpoint of this Tessera server, generated from the schemas the server validates with. Machine-readable:{" "}
            <a href="/api/openapi.json" className="font-medium text-indigo-700 dark:text-indigo-300 underline">
              /api/openapi.json
            </a>{" "}
            (OpenAPI 3.1).
          </>
        }
      />

      <Card aria-labelledby="getting-started">
        <CardHeader>
          <CardTitle id="getting-started">Getting started with a personal access token</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3 text-sm text-gray-700 dark:text-gray-300">
          <ol className="list-decimal space-y-3 pl-5">
            <li>
              Sign in and open{" "}
              <Link href="/settings/tokens" className="font-medium text-indigo-700 dark:text-indigo-300 underline">
                Settings → Tokens
              </Link>
              . Create a token with only the scopes your script needs, and the shortest expiry that works. It is shown once: copy it then.
            </li>
            <li>
              Keep it out of your shell history and your code:
              <CodeBlock className="mt-1">{`read -rs TESSERA_TOKEN && export TESSERA_TOKEN   # paste the token, then Enter`}</CodeBlock>
            </li>
            <li>
              Call the API with it:
              <CodeBlock
                copy
                className="mt-1"
                data-testid="getting-started-curl"
              >{`curl -H "Authorization: Bearer $TESSERA_TOKEN" ${serverUrl}/api/v1/me`}</CodeBlock>
            </li>
            <li>
              <InlineText
                text={
                  'A `401` means the token is unknown, expired or revoked; a `403` with `insufficient_scope` names the scope it lacks. Errors are JSON: `{"error": {"code", "message"}}`. A script can revoke its own token with `DELETE /api/tokens/current`.'
                }
              />
            </li>
          </ol>
          <div>
            <h3 className="pt-1 font-medium text-gray-900 dark:text-gray-100">Scopes</h3>
            <ul className="mt-1 space-y-1">
              {Object.entries(SCOPE_CATALOGUE).map(([scope, { description }]) => (
                <li key={scope}>
                  <code className="font-mono text-xs">{scope}</code> — {description}
                </li>
              ))}
            </ul>
          </div>
        </CardContent>
      </Card>

      <ConnectClientsCard urls={clientUrls} fallbackScopes={FALLBACK_DEFAULT_SCOPES} />

      <McpServerCard mcpUrl={resourceUrl(serverUrl, MCP_RESOURCE)} mcpMetadataUrl={protectedResourceMetadataUrl(serverUrl, MCP_RESOURCE)} />

      <nav aria-label="Endpoints" className="rounded-lg border border-gray-200 dark:border-gray-800 bg-white dark:bg-gray-900 p-4 text-sm">
        <h2 className="mb-2 font-semibold text-gray-900 dark:text-gray-100">Endpoints</h2>
        <ul className="grid grid-cols-1 gap-x-6 gap-y-3 sm:grid-cols-2">
          {sections.map((section) => (
            <li key={section.anchor}>
              <a href={`#${section.anchor}`} className="font-medium text-indigo-700 dark:text-indigo-300 hover:underline">
                {section.name}
              </a>
              <ul className="mt-1 space-y-0.5">
                {section.endpoints.map((endpoint) => (
                  <li key={endpoint.anchor}>
                    <a href={`#${endpoint.anchor}`} className="font-mono text-xs break-all text-gray-700 dark:text-gray-300 hover:underline">
                      {endpoint.method} {endpoint.path}
                    </a>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </nav>

      {sections.map((section) => (
        <section key={section.anchor} aria-labelledby={section.anchor} className="space-y-4">
          <div className="space-y-1">
            <h2 id={section.anchor} className="scroll-mt-4 text-lg font-semibold text-gray-900 dark:text-gray-100">
              {section.name}
            </h2>
            {section.description ? (
              <p className="text-sm text-gray-600 dark:text-gray-400">
                <InlineText text={section.description} />
              </p>
            ) : null}
          </div>
          {section.endpoints.map((endpoint) => (
            <EndpointCard key={endpoint.anchor} endpoint={endpoint} />
          ))}
        </section>
      ))}
    </div>
  );
}
