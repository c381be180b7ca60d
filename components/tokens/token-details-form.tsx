import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { SubmitButton } from "@/components/ui/submit-button";
import { fieldClasses } from "@/components/ui/input";
import { cn } from "@/lib/ui/cn";

/** Rename a token or say what it is for: a plain form to a server action (works without JavaScript). */
export function TokenDetailsForm({
  tokenId,
  name,
  description,
  maxDescription,
  action,
}: {
  tokenId: string;
  name: string;
  description: string;
  maxDescription: number;
  action: (formData: FormData) => Promise<void>;
}) {
  return (
    <form action={action} className="space-y-4" aria-label="Edit token details">
      <input type="hidden" name="tokenId" value={tokenId} />
      <div className="space-y-1">
        <Label htmlFor="token-detail-name">Name</Label>
        <Input id="token-detail-name" name="name" required maxLength={100} defaultValue={name} />
      </div>
      <div className="space-y-1">
        <Label htmlFor="token-detail-description">Description</Label>
        <textarea
          id="token-detail-description"
          name="description"
          rows={3}
          maxLength={maxDescription}
          defaultValue={description}
          aria-describedby="token-detail-description-help"
          className={cn("block w-full", fieldClasses)}
        />
        <p id="token-detail-description-help" className="text-xs text-gray-600 dark:text-gray-400">
          What uses this token and why, so you know what breaks if you revoke it. Up to {maxDescription} characters.
        </p>
      </div>
      <SubmitButton pendingLabel="Saving…">Save details</SubmitButton>
    </form>
  );
}
