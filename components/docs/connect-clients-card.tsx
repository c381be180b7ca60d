import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import { InlineText } from "./inline-text";

/** This server's absolute URLs an MCP client or a CLI uses, built by the page from the request's origin. */
export type ConnectClientsUrls = {
  /** The API as an RFC 8707 resource: what an MCP client is pointed at. */
  resource: string;
  /** Its RFC 9728 metadata, named by every 401 and 403 from the API. */
  resourceMetadata: string;
  /** The root form of the protected-resource metadata. */
  rootResourceMetadata: string;
  issuer: string;
  authorizationServerMetadata: string;
  authorize: string;
  token: string;
  register: string;
  deviceAuthorization: string;
  device: string;
};

/** "Connect an MCP client or a CLI" on /docs: the discovery chain, the client identities and the device flow. */
export function ConnectClientsCard({ urls, fallbackScopes }: { urls: ConnectClientsUrls; fallbackScopes: readonly string[] }) {
  const deviceFlow = [
    `curl ${urls.deviceAuthorization} -d client_id=$CLIENT_ID`,
    `# {"device_code":"…","user_code":"BCDF-GHJK","verification_uri":"${urls.device}",…,"expires_in":600,"interval":5}`,
    `curl ${urls.token} -d grant_type=urn:ietf:params:oauth:grant-type:device_code \\`,
    `  -d device_code=$DEVICE_CODE -d client_id=$CLIENT_ID`,
    `# 400 {"error":"authorization_pending",…} until the person decides, then {"access_token":"tsr_oat_…",…,"refresh_token":"tsr_ort_…"}`,
  ].join("\n");

  return (
    <Card aria-labelledby="connect-clients">
      <CardHeader>
        <CardTitle id="connect-clients">Connect an MCP client or a CLI</CardTitle>
      </CardHeader>
      <CardContent className="space-y-3 text-sm text-gray-700 dark:text-gray-300">
        <p>An MCP client needs one URL, the resource:</p>
        <CodeBlock copy data-testid="mcp-resource-url">
          {urls.resource}
        </CodeBlock>
        <p>It discovers the rest, in this order:</p>
        <ol className="list-decimal space-y-2 pl-5">
          <li>
            <InlineText
              text={`Its first call without a token gets \`401\` with \`WWW-Authenticate: Bearer … resource_metadata="${urls.resourceMetadata}"\` (a client that ignores the header tries that URL, then the root form \`${urls.rootResourceMetadata}\`).`}
            />
          </li>
          <li>
            <InlineText text={`That document names the authorization server, \`${urls.issuer}\`, and the scopes the API accepts.`} />
          </li>
          <li>
            <InlineText
              text={`\`${urls.authorizationServerMetadata}\` lists \`${urls.authorize}\`, \`${urls.token}\`, \`${urls.register}\`, \`${urls.deviceAuthorization}\` and \`client_id_metadata_document_supported: true\`.`}
            />
          </li>
          <li>
            <InlineText
              text={`It signs the person in with the authorization code and PKCE (S256), sending \`resource=${urls.resource}\` to the authorization and token endpoints.`}
            />
          </li>
        </ol>
        <p>
          <InlineText
            text={`Three client identities work, each a public client (no secret, PKCE): an application registered by hand as public at Settings → Developer applications (its \`tsr_app_…\` client id, with a loopback redirect URI such as \`http://127.0.0.1:8080/callback\`, which then matches on any port); a client ID metadata document (the client's own https \`client_id\` URL, nothing to register); or dynamic registration at \`POST ${urls.register}\`, as this server's admins allow (\`open\` by default, for public clients; \`admins_only\`; \`off\`). A request without \`scope\` gets the app's default scopes; a client that chose none gets \`${fallbackScopes.join(" ")}\`.`}
          />
        </p>
        <p>
          <InlineText
            text={`A CLI signs in with the device flow, as a public application (\`CLIENT_ID=tsr_app_…\`): it starts, shows the person the code and \`${urls.device}\`, where they sign in, type the code and approve, and polls every \`interval\` seconds with the \`device_code\` it got (\`DEVICE_CODE\`):`}
          />
        </p>
        <CodeBlock copy data-testid="device-flow-curl">
          {deviceFlow}
        </CodeBlock>
      </CardContent>
    </Card>
  );
}
