import { SubmitButton } from "@/components/ui/submit-button";
import type { ServiceUsage } from "@/lib/service-clients/list-service-usage";
import { formatRelativeTime } from "@/lib/ui/format";
import { plural } from "@/lib/ui/plural";

type Action = (formData: FormData) => Promise<void>;

/**
 * Which services obtained this provider's token (the OAuth token exchange) or called the provider through Tessera's
 * proxy in the last 30 days; `blockAction` lets the person refuse one (omit it for a read-only view).
 */
export function ServiceUsageList({
  provider,
  label,
  services,
  blockAction,
}: {
  provider: string;
  /** The provider's name, for the sentences ("your Google access"). */
  label?: string;
  services: ServiceUsage[];
  blockAction?: Action;
}) {
  const access = label ? `your ${label} access` : "this access";
  if (services.length === 0)
    return (
      <p className="text-gray-500 dark:text-gray-400" data-testid={`service-usage-${provider}`}>
        No service used {access} in the last 30 days.
      </p>
    );
  return (
    <ul className="space-y-2" data-testid={`service-usage-${provider}`}>
      {services.map((service) => (
        <li key={service.serviceClientId} className="flex flex-wrap items-center justify-between gap-2" data-testid="service-usage">
          <span className="min-w-0 [overflow-wrap:anywhere]">
            <span className="font-medium">{service.name}</span>
            {service.blocked ? <span className="ml-2 text-red-700 dark:text-red-300">blocked</span> : null}
            {service.description || service.owner ? (
              <span className="block text-xs text-gray-700 dark:text-gray-300" data-testid="service-about">
                {service.description ?? ""}
                {service.description && service.owner ? " · " : ""}
                {service.owner ? `registered by ${service.owner}` : ""}
              </span>
            ) : null}
            <span className="block text-xs text-gray-500 dark:text-gray-400">
              {service.count > 0 ? `took ${access} ${plural(service.count, "time")}` : `never took ${access}`} ·{" "}
              {service.proxyCalls > 0 ? `called ${label ?? "the provider"} through Tessera ${plural(service.proxyCalls, "time")}` : "no calls through Tessera"}
              {service.lastAt ? `, last ${formatRelativeTime(service.lastAt)}` : ""}
              {service.lastPurpose ? ` — “${service.lastPurpose}”` : ""}
            </span>
          </span>
          {blockAction ? (
            <form action={blockAction}>
              <input type="hidden" name="provider" value={provider} />
              <input type="hidden" name="serviceClientId" value={service.serviceClientId} />
              <input type="hidden" name="blocked" value={service.blocked ? "false" : "true"} />
              <SubmitButton size="sm" variant="secondary">
                {service.blocked ? "Allow again" : "Block"}
              </SubmitButton>
            </form>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
