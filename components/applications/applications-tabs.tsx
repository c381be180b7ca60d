import { TabsNav } from "@/components/ui/tabs-nav";

const TABS = [
  { href: "/settings/applications", label: "Developer applications" },
  { href: "/settings/applications/authorized", label: "Authorized applications" },
] as const;

export function ApplicationsTabs({ active }: { active: (typeof TABS)[number]["href"] }) {
  return <TabsNav tabs={TABS} active={active} label="Applications" />;
}
