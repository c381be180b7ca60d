import { TabsNav } from "@/components/ui/tabs-nav";

const TABS = [
  { href: "/admin", label: "Overview" },
  { href: "/admin/users", label: "Users" },
  { href: "/admin/services", label: "Services" },
  { href: "/admin/applications", label: "Applications" },
  { href: "/admin/webhooks", label: "Webhooks" },
  { href: "/admin/audit", label: "Audit log" },
] as const;

export function AdminTabs({ active }: { active: (typeof TABS)[number]["href"] }) {
  return <TabsNav tabs={TABS} active={active} label="Administration" />;
}
