import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { SubmitButton } from "@/components/ui/submit-button";
import type { AdminApplicationRow } from "@/lib/oauth-apps/list-applications";
import { plural } from "@/lib/ui/plural";

type FormAction = (formData: FormData) => void | Promise<void>;

/** An application's admin actions (the list's row and the detail page): delete a self-registered client, disable or enable. */
export function ApplicationAdminActions({
  app,
  deleteAction,
  setStatusAction,
}: {
  app: Pick<AdminApplicationRow, "id" | "name" | "registration" | "authorizedUsers" | "status">;
  deleteAction: FormAction;
  setStatusAction: FormAction;
}) {
  return (
    <>
      {app.registration !== "manual" ? (
        <ConfirmDialog
          triggerLabel="Delete"
          title={`Delete ${app.name}?`}
          description={`Every grant and token it holds ends at once (${plural(app.authorizedUsers, "user")} affected).${app.registration === "metadata_document" ? " If it comes back, its document is fetched again: disable it to keep it out." : ""}`}
          confirmLabel="Delete client"
          action={deleteAction}
          hiddenFields={{ applicationId: app.id }}
          triggerClassName="mr-2"
        />
      ) : null}
      {app.status === "active" ? (
        <ConfirmDialog
          triggerLabel="Disable"
          title={`Disable ${app.name}?`}
          description={`Its tokens are refused at their next use and nobody can authorize it (${plural(app.authorizedUsers, "user")} affected). You can enable it again.`}
          confirmLabel="Disable application"
          action={setStatusAction}
          hiddenFields={{ applicationId: app.id, status: "DISABLED" }}
        />
      ) : (
        <form action={setStatusAction}>
          <input type="hidden" name="applicationId" value={app.id} />
          <input type="hidden" name="status" value="ACTIVE" />
          <SubmitButton size="sm" variant="secondary">
            Enable
          </SubmitButton>
        </form>
      )}
    </>
  );
}
