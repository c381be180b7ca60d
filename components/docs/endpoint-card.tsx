import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { CodeBlock } from "@/components/ui/code-block";
import type { ReferenceEndpoint, ReferenceField } from "@/lib/api-docs/reference-model";
import { InlineText } from "./inline-text";

const METHOD_TONE: Record<string, BadgeTone> = { GET: "blue", POST: "green", PATCH: "amber", PUT: "amber", DELETE: "red" };

const statusTone = (status: string): BadgeTone => (status.startsWith("2") ? "green" : status.startsWith("5") ? "red" : "amber");

function FieldTable({ caption, fields, showIn = false }: { caption: string; fields: (ReferenceField & { in?: string })[]; showIn?: boolean }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="pb-1 text-left text-xs font-semibold tracking-wide text-gray-500 dark:text-gray-400 uppercase">{caption}</caption>
        <thead className="text-xs text-gray-500 dark:text-gray-400">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              Name
            </th>
            {showIn ? (
              <th scope="col" className="py-1 pr-3 font-medium">
                In
              </th>
            ) : null}
            <th scope="col" className="py-1 pr-3 font-medium">
              Type
            </th>
            <th scope="col" className="py-1 font-medium">
              Description
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100 dark:divide-gray-800">
          {fields.map((field) => (
            <tr key={`${field.in ?? ""}${field.name}`} className="align-top">
              <td className="py-1.5 pr-3 font-mono text-xs whitespace-nowrap">
                {field.name}
                {field.required ? <span className="ml-1 text-red-700 dark:text-red-300">required</span> : null}
              </td>
              {showIn ? <td className="py-1.5 pr-3 text-xs text-gray-600 dark:text-gray-400">{field.in}</td> : null}
              <td className="py-1.5 pr-3 font-mono text-xs break-all text-gray-700 dark:text-gray-300">{field.type}</td>
              <td className="py-1.5 text-gray-700 dark:text-gray-300">{field.description ? <InlineText text={field.description} /> : null}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One operation of the API reference: who may call it, what it takes, what it answers, and how to curl it. */
export function EndpointCard({ endpoint }: { endpoint: ReferenceEndpoint }) {
  return (
    <Card id={endpoint.anchor} className="scroll-mt-4" data-testid="endpoint">
      <CardHeader>
        <h3 className="flex flex-wrap items-center gap-2 text-base font-semibold text-gray-900 dark:text-gray-100">
          <Badge tone={METHOD_TONE[endpoint.method] ?? "gray"} className="font-mono">
            {endpoint.method}
          </Badge>
          <code className="font-mono text-sm break-all">{endpoint.path}</code>
        </h3>
        <p className="text-sm font-medium text-gray-800 dark:text-gray-200">{endpoint.summary}</p>
      </CardHeader>
      <CardContent className="space-y-4">
        {endpoint.description ? (
          <p className="text-sm text-gray-700 dark:text-gray-300">
            <InlineText text={endpoint.description} />
          </p>
        ) : null}
        <div className="rounded-md bg-indigo-50 dark:bg-indigo-950/50 px-3 py-2 text-sm text-indigo-950 dark:text-indigo-100" data-testid="endpoint-access">
          <span className="font-medium">Access: </span>
          {endpoint.access.label}
          {endpoint.access.detail ? <span className="block text-xs text-indigo-900/80 dark:text-indigo-200/80">{endpoint.access.detail}</span> : null}
        </div>
        {endpoint.parameters.length ? <FieldTable caption="Parameters" fields={endpoint.parameters} showIn /> : null}
        {endpoint.requestBody ? (
          <div className="space-y-2">
            <FieldTable caption={`Request body (${endpoint.requestBody.contentType})`} fields={endpoint.requestBody.fields} />
            {endpoint.requestBody.example ? <CodeBlock aria-label="Request body example">{endpoint.requestBody.example}</CodeBlock> : null}
          </div>
        ) : null}
        <div className="space-y-2">
          <h4 className="text-xs font-semibold tracking-wide text-gray-500 dark:text-gray-400 uppercase">Responses</h4>
          <ul className="space-y-2">
            {endpoint.responses.map((response) => (
              <li key={response.status} className="text-sm">
                <div className="flex items-start gap-2">
                  <Badge tone={statusTone(response.status)} className="font-mono">
                    {response.status}
                  </Badge>
                  <span className="text-gray-700 dark:text-gray-300">
                    <InlineText text={response.description} />
                    {response.contentType && response.contentType !== "application/json" ? (
                      <span className="text-gray-500 dark:text-gray-400"> ({response.contentType})</span>
                    ) : null}
                  </span>
                </div>
                {response.example && response.status.startsWith("2") ? (
                  <details className="mt-1 ml-12">
                    <summary className="cursor-pointer text-xs text-indigo-700 dark:text-indigo-300">Example body</summary>
                    <CodeBlock className="mt-1">{response.example}</CodeBlock>
                  </details>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
        <div className="space-y-1">
          <h4 className="text-xs font-semibold tracking-wide text-gray-500 dark:text-gray-400 uppercase">Example</h4>
          <CodeBlock copy copyLabel="Copy curl command" data-testid="curl-example">
            {endpoint.curl}
          </CodeBlock>
        </div>
      </CardContent>
    </Card>
  );
}
