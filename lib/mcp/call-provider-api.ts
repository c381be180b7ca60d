import { inputRequired, type CallToolResult, type InputRequiredResult } from "@modelcontextprotocol/server";
import { ApiError } from "@/lib/http/api-error";
import { allowsProviderCall, providerScopeFor } from "@/lib/oauth-apps/provider-scopes";
import { getProviderApiBase, providerLabel } from "@/lib/providers/catalog";
import { forwardProviderCall } from "@/lib/proxy/forward-provider-call";
import { readProxyLimits } from "@/lib/proxy/proxy-limits";
import { checkProxyPath } from "@/lib/service-clients/proxy-allow-list";
import { buildConnectUrl } from "./build-connect-url";
import type { McpCaller } from "./mcp-caller";
import { mcpToolError } from "./mcp-tool-error";
import type { CallProviderApiInput } from "./mcp-tool-schemas";
import type { McpToolCallRecord } from "./record-mcp-tool-call";

/** The most of a provider's answer a tool result carries: an assistant's context is small; the rest is cut with a message. */
export const MCP_RESULT_MAX_BYTES = 256 * 1024;

/** Response headers a tool result shows (the proxy already dropped every credential-bearing one). */
const SHOWN_HEADERS = ["content-type", "etag", "last-modified", "link", "location", "retry-after", "x-ratelimit-remaining", "x-ratelimit-reset"];

const TEXT_TYPE = /^(text\/|application\/([a-z0-9.+-]*\+)?(json|xml|javascript|x-www-form-urlencoded)\b)/i;
const JSON_TYPE = /^application\/([a-z0-9.+-]*\+)?json\b/i;

export type ToolOutcome = { result: CallToolResult | InputRequiredResult; record: Omit<McpToolCallRecord, "tool"> };

/** The key of the connect-on-first-use URL elicitation in an input-required result (and of the client's answer on retry). */
export const CONNECT_INPUT_KEY = "connect";

/**
 * How this call may ask the person to connect: `url-elicitation` when the client declared URL-mode elicitation on a
 * 2026-07-28 request and has not answered one for this call yet (the SDK then carries it as an input-required
 * result; the client opens the URL and retries); otherwise `tool-error` (the URL in the error text).
 */
export type ConnectPrompt = "url-elicitation" | "tool-error";

/**
 * call_provider_api: one call to a provider's API as the person who authorized the client, through the
 * proxy's core (forwardProviderCall: the person's fresh token, header filtering, limits, refresh-and-retry
 * on a 401, streaming caps), within the grant's provider scopes (read: GET and HEAD only). No API access
 * held → the connect page's URL (a URL elicitation or a tool error, see `prompt`). The provider's answer comes back as status,
 * selected headers and body: JSON as structured content, text otherwise; binary is refused; an answer over
 * MCP_RESULT_MAX_BYTES is cut with a message. Refusals and a provider that is down or slow are tool errors.
 * `prompt`: how to ask the person to connect when there is no API access (see ConnectPrompt).
 */
export async function callProviderApi(caller: McpCaller, input: CallProviderApiInput, prompt: ConnectPrompt = "tool-error"): Promise<ToolOutcome> {
  const { provider, method, path } = input;
  const label = providerLabel(provider);
  const record = { provider, method, path, status: null };
  const refuse = (outcome: string, text: string): ToolOutcome => ({ result: mcpToolError(text), record: { ...record, outcome } });

  if (!allowsProviderCall(caller.scopes, provider, method)) {
    const needed = providerScopeFor(provider, method);
    return refuse("insufficient_scope", `This client was not granted ${needed}: ask the person to authorize it again with that scope.`);
  }
  if (input.body !== undefined && (method === "GET" || method === "HEAD")) return refuse("invalid_request", `A ${method} request has no body.`);
  if (checkProxyPath(path)) return refuse("invalid_path", "The path has dot segments, empty segments or encoded separators.");
  const base = getProviderApiBase(provider);
  if (!base) return refuse("provider_not_enabled", `${label} is not enabled on this Tessera server.`);

  const limits = readProxyLimits();
  const headers = new Headers(input.headers ?? {});
  let body: ReadableStream<Uint8Array> | null = null;
  if (input.body !== undefined) {
    const text = typeof input.body === "string" ? input.body : JSON.stringify(input.body);
    if (!headers.has("content-type")) headers.set("content-type", typeof input.body === "string" ? "text/plain; charset=utf-8" : "application/json");
    const bytes = new TextEncoder().encode(text);
    if (bytes.byteLength > limits.maxBodyBytes) return refuse("payload_too_large", `Request bodies are at most ${limits.maxBodyBytes} bytes.`);
    body = new Blob([bytes]).stream();
  }
  const search = searchOf(input.query);

  let response: Response;
  let status: number | null = null;
  try {
    response = await forwardProviderCall({
      userId: caller.user.id,
      provider,
      base,
      path,
      search,
      method,
      headers,
      body,
      service: null,
      limits,
      account: async (answered) => {
        status = answered;
      },
      requestId: caller.requestId,
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { result: await refusalOf(caller, provider, error, prompt), record: { ...record, status, outcome: error.code } };
  }
  return { result: await toolResultOf(response, label), record: { ...record, status: response.status, outcome: "ok" } };
}

function searchOf(query: CallProviderApiInput["query"]): string {
  if (!query || Object.keys(query).length === 0) return "";
  return `?${new URLSearchParams(Object.entries(query).map(([name, value]) => [name, String(value)])).toString()}`;
}

/**
 * The proxy's refusal in words an assistant can act on: connect, reconnect, wait, or the provider is down. No API
 * access: the connect link, as a URL elicitation the client shows the person (then retries the call), or in the
 * error text.
 */
async function refusalOf(caller: McpCaller, provider: string, error: ApiError, prompt: ConnectPrompt): Promise<CallToolResult | InputRequiredResult> {
  const label = providerLabel(provider);
  switch (error.code) {
    case "not_connected":
    case "needs_reconnect": {
      const url = await buildConnectUrl(caller, provider);
      const verb = error.code === "not_connected" ? "connect" : "reconnect";
      if (prompt === "url-elicitation")
        return inputRequired({
          inputRequests: {
            [CONNECT_INPUT_KEY]: inputRequired.elicitUrl({
              message: `${caller.app.name} needs your ${label} account through Tessera: ${verb} ${label}, then come back.`,
              url,
            }),
          },
        });
      return mcpToolError(
        error.code === "not_connected"
          ? `Tessera holds no ${label} API access for this person yet. Ask them to open this link, connect ${label}, then call again: ${url}`
          : `The person's ${label} connection must be renewed. Ask them to open this link, reconnect ${label}, then call again: ${url}`,
      );
    }
    case "upstream_timeout":
    case "upstream_unreachable":
      return mcpToolError(`${label} is down or slow: ${error.message} Try again later.`);
    default:
      return mcpToolError(`${label}: ${error.message}`);
  }
}

/** The provider's answer as a tool result, reading at most MCP_RESULT_MAX_BYTES of its body. */
async function toolResultOf(response: Response, label: string): Promise<CallToolResult> {
  const headers: Record<string, string> = {};
  for (const name of SHOWN_HEADERS) {
    const value = response.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  const contentType = response.headers.get("content-type") ?? "";
  const summary = { status: response.status, headers };
  const isError = response.status >= 400;
  if (!response.body) return { isError, content: [{ type: "text", text: JSON.stringify(summary) }], structuredContent: summary };
  if (contentType && !TEXT_TYPE.test(contentType)) {
    await response.body.cancel().catch(() => undefined);
    return mcpToolError(
      `${label} answered ${response.status} with binary content (${contentType.slice(0, 100)}); call_provider_api returns JSON and text only.`,
    );
  }
  let read: { text: string; cut: boolean };
  try {
    read = await readText(response.body);
  } catch {
    // The proxy logged why (with the request id); the status line had gone out already.
    return mcpToolError(`${label}'s answer broke off mid-body (the provider stopped, or it passed the proxy's size limit). Try again.`);
  }
  const { text, cut } = read;
  if (cut) {
    const note = `[cut: ${label}'s answer is larger than ${MCP_RESULT_MAX_BYTES} bytes; ask for less, e.g. with paging or fewer fields]`;
    return { isError, content: [{ type: "text", text: `${JSON.stringify(summary)}\n\n${text}\n${note}` }], structuredContent: { ...summary, truncated: true } };
  }
  if (JSON_TYPE.test(contentType) || (!contentType && /^\s*[[{]/.test(text))) {
    try {
      const parsed: unknown = JSON.parse(text);
      const structured = { ...summary, body: parsed };
      return { isError, content: [{ type: "text", text: JSON.stringify(structured) }], structuredContent: structured };
    } catch {
      // Said JSON, is not: handed over as the text it is.
    }
  }
  return { isError, content: [{ type: "text", text: `${JSON.stringify(summary)}\n\n${text}` }], structuredContent: summary };
}

/** Up to MCP_RESULT_MAX_BYTES as UTF-8 text; the rest is not read (cancelling stops the provider call). */
async function readText(stream: ReadableStream<Uint8Array>): Promise<{ text: string; cut: boolean }> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    const room = MCP_RESULT_MAX_BYTES - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel().catch(() => undefined);
      return { text: new TextDecoder().decode(Buffer.concat(chunks)), cut: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: new TextDecoder().decode(Buffer.concat(chunks)), cut: false };
}
