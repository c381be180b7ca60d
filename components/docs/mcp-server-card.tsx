import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { InlineText } from "./inline-text";

/** "Add Tessera to an MCP client" on /docs: the URL to paste, what the person sees, and the tools (issue 24). */
export function McpServerCard({ mcpUrl, mcpMetadataUrl }: { mcpUrl: string; mcpMetadataUrl: string }) {
  return (
    <Card aria-labelledby="mcp-server">
      <CardHeader>
        <CardTitle id="mcp-server">Add Tessera to an MCP client</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm text-gray-700 dark:text-gray-300">
        <p>
          Tessera is an MCP server too: an assistant calls Google, Microsoft Graph and GitHub as the person who authorized it, and never holds a provider token.
          Paste this URL into the client:
        </p>
        <CodeBlock copy data-testid="mcp-endpoint-url">
          {mcpUrl}
        </CodeBlock>
        <ul className="list-disc space-y-2 pl-5">
          <li>
            <InlineText
              text={`The client discovers Tessera from the first \`401\` (\`resource_metadata="${mcpMetadataUrl}"\`), and the person signs in and consents.`}
            />
          </li>
          <li>
            <InlineText
              text={
                "The consent screen says it plainly: `connections:read` (see which providers are connected), `provider:github:read` (read your GitHub data through Tessera, GET and HEAD only), `provider:github:write` (read and change it); the same for `google` and `microsoft-entra-id`."
              }
            />
          </li>
          <li>
            <InlineText
              text={
                "Tools: `whoami`, `list_connections` and `call_provider_api` (provider, method, path, query, body, allow-listed headers). A provider the person has not connected yet answers with a link to connect it."
              }
            />
          </li>
          <li>
            <InlineText text={"Every tool call is in the audit trail; revoking the app under Settings → Applications stops its next call."} />
          </li>
        </ul>
      </CardContent>
    </Card>
  );
}
