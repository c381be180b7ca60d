import type { Metadata } from "next";
import { ConnectionCard } from "@/components/connections/connection-card";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/layout/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { listConnections } from "@/lib/connections/list-connections";
import { getProviderClient, providerLabel } from "@/lib/providers/catalog";
import { disconnectAction, linkAction, reconnectAction } from "./actions";

export const metadata: Metadata = { title: "Connections" };

function noticeText(params: Record<string, string | string[] | undefined>): { tone: "success" | "warning" | "error"; text: string } | null {
  const provider = typeof params.provider === "string" ? params.provider : "";
  const label = provider ? providerLabel(provider) : "The provider";
  if (params.notice === "invalid_input") return { tone: "error", text: "That request was not valid. Nothing was changed." };
  if (params.notice !== "disconnected") return null;
  switch (params.revocation) {
    case "revoked":
      return { tone: "success", text: `API access to ${label} was disconnected and the grant was revoked at ${label}. You can still sign in with ${label}.` };
    case "not_supported": {
      const client = provider ? getProviderClient(provider) : null;
      const reason = client?.revocation.kind === "unsupported" ? client.revocation.reason : `${label} does not support revoking tokens.`;
      return { tone: "warning", text: `API access to ${label} was disconnected: the tokens were deleted from Tessera, but they could not be revoked at ${label}. ${reason}` };
    }
    case "failed":
      return { tone: "warning", text: `The tokens were deleted from Tessera, but ${label} did not confirm the revocation. They will stop working when they expire; you can also remove Tessera's access in your ${label} account settings.` };
    default:
      return { tone: "success", text: `API access to ${label} was disconnected.` };
  }
}

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/connections");
  const [connections, params] = await Promise.all([listConnections(viewer.id), searchParams]);
  const notice = noticeText(params);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Connected accounts"
        description="Providers you sign in with, and whether Tessera holds API access to act for you there. Token values are stored encrypted and never shown."
      />
      {notice ? <Alert tone={notice.tone}>{notice.text}</Alert> : null}
      <div className="grid gap-4 md:grid-cols-3">
        {connections.map((connection) => (
          <ConnectionCard
            key={connection.provider}
            connection={connection}
            disconnectAction={disconnectAction}
            reconnectAction={reconnectAction}
            linkAction={linkAction}
          />
        ))}
      </div>
    </div>
  );
}
