import type { Metadata } from "next";
import Link from "next/link";
import { AdminTabs } from "@/components/admin/admin-tabs";
import { NoticeAlert } from "@/components/layout/notice-alert";
import { PageHeader } from "@/components/layout/page-header";
import { Badge } from "@/components/ui/badge";
import { EmptyState } from "@/components/ui/empty-state";
import { Input } from "@/components/ui/input";
import { Pagination } from "@/components/ui/pagination";
import { Select } from "@/components/ui/select";
import { Button } from "@/components/ui/button";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { listUsers, listUsersQuerySchema } from "@/lib/admin/list-users";
import { requireAdminViewer } from "@/lib/auth/viewer";
import { providerLabel } from "@/lib/providers/catalog";
import { formatDate, formatRelativeTime } from "@/lib/ui/format";

export const metadata: Metadata = { title: "Users · Admin" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireAdminViewer("/admin/users");
  const params = await searchParams;
  const parsed = listUsersQuerySchema.safeParse(params);
  const query = parsed.success ? parsed.data : listUsersQuerySchema.parse({});
  const { users, nextCursor } = await listUsers(query);
  const base = new URLSearchParams({ ...(query.q ? { q: query.q } : {}), sort: query.sort });

  return (
    <div className="space-y-6">
      <AdminTabs active="/admin/users" />
      <PageHeader title="Users" description="Find an account and see what it can reach." />
      <NoticeAlert searchParams={params} />
      <form className="flex flex-wrap items-end gap-3" role="search">
        <div className="min-w-64 flex-1">
          <label htmlFor="q" className="text-sm font-medium">
            Search by email or name
          </label>
          <Input id="q" name="q" defaultValue={query.q} placeholder="alice@example.com" />
        </div>
        <div>
          <label htmlFor="sort" className="text-sm font-medium">
            Sort
          </label>
          <Select id="sort" name="sort" defaultValue={query.sort}>
            <option value="created">Newest accounts</option>
            <option value="last_sign_in">Last sign-in</option>
          </Select>
        </div>
        <Button type="submit">Search</Button>
      </form>
      {users.length === 0 ? (
        <EmptyState title="No users found" description={query.q ? `Nobody matches “${query.q}”.` : "Nobody has signed in yet."} />
      ) : (
        <>
          <Table label="Users">
            <THead>
              <TR>
                <TH>User</TH>
                <TH>Role</TH>
                <TH>Providers</TH>
                <TH>API access</TH>
                <TH>Active PATs</TH>
                <TH>{query.sort === "last_sign_in" ? "Last sign-in" : "Created"}</TH>
              </TR>
            </THead>
            <TBody>
              {users.map((user) => (
                <TR key={user.id} data-testid={`user-row-${user.email}`}>
                  <TD>
                    <Link href={`/admin/users/${user.id}`} className="font-medium text-indigo-700 dark:text-indigo-300 hover:underline">
                      {user.email ?? user.id}
                    </Link>
                    <div className="text-xs text-gray-500 dark:text-gray-400">{user.name}</div>
                  </TD>
                  <TD label="Role">{user.role === "ADMIN" ? <Badge tone="blue">admin</Badge> : <Badge>user</Badge>}</TD>
                  <TD label="Providers" className="text-sm">
                    {user.providers.map(providerLabel).join(", ") || "—"}
                  </TD>
                  <TD label="API access" className="space-x-1">
                    {user.apiAccess.length ? (
                      user.apiAccess.map((p) => (
                        <Badge key={p} tone="green">
                          {providerLabel(p)}
                        </Badge>
                      ))
                    ) : (
                      <span className="text-sm text-gray-500 dark:text-gray-400">none</span>
                    )}
                  </TD>
                  <TD label="Active PATs">
                    {user.activePats ? <Badge tone="amber">{user.activePats}</Badge> : <span className="text-sm text-gray-500 dark:text-gray-400">0</span>}
                  </TD>
                  <TD label={query.sort === "last_sign_in" ? "Last sign-in" : "Created"} className="text-sm">
                    {query.sort === "last_sign_in" ? (user.lastSignInAt ? formatRelativeTime(user.lastSignInAt) : "never") : formatDate(user.createdAt)}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
          <Pagination
            prevLabel="First page"
            prevHref={query.cursor ? `/admin/users?${base}` : null}
            nextHref={nextCursor ? `/admin/users?${base}&cursor=${encodeURIComponent(nextCursor)}` : null}
          />
        </>
      )}
    </div>
  );
}
