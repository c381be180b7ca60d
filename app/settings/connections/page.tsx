import type { Metadata } from "next";
import { ConnectionCard } from "@/components/connections/connection-card";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { requireViewer } from "@/lib/auth/viewer";
import { listAssistantUsage } from "@/lib/connections/list-assistant-usage";
import { listConnections } from "@/lib/connections/list-connections";
import { listServiceUsage } from "@/lib/service-clients/list-service-usage";
import { connectAction, disconnectAction, linkAction, reconnectAction, setServiceBlockAction } from "./actions";

export const metadata: Metadata = { title: "Connections" };

export default async function ConnectionsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const viewer = await requireViewer("/settings/connections");
  const [connections, usage, assistants, params] = await Promise.all([
    listConnections(viewer.id),
    listServiceUsage(viewer.id),
    listAssistantUsage(viewer.id),
    searchParams,
  ]);

  return (
    <div className="space-y-6">
      <PageHeader
        title="Connected accounts"
        description="Providers you sign in with, and whether Tessera holds API access to act for you there. Token values are stored encrypted and never shown."
      />
      <NoticeAlert searchParams={params} />
      <div className="grid grid-cols-1 gap-4 md:grid-cols-3">
        {connections.map((connection) => (
          <ConnectionCard
            key={connection.provider}
            connection={connection}
            disconnectAction={disconnectAction}
            reconnectAction={reconnectAction}
            linkAction={linkAction}
            connectAction={connectAction}
            services={usage[connection.provider] ?? []}
            assistants={assistants[connection.provider] ?? []}
            blockAction={setServiceBlockAction}
          />
        ))}
      </div>
    </div>
  );
}
