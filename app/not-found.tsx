import Link from "next/link";
import { buttonClasses } from "@/components/ui/button";

export default function NotFound() {
  return (
    <div className="space-y-4 py-20 text-center">
      <p className="text-sm font-semibold text-indigo-700 dark:text-indigo-300">404</p>
      <h1 className="text-3xl font-semibold tracking-tight text-gray-900 dark:text-gray-100">Page not found</h1>
      <p className="text-gray-600 dark:text-gray-400">There is nothing at this address, or you do not have access to it.</p>
      <Link href="/" className={buttonClasses("secondary", "md")}>
        Back to the start page
      </Link>
    </div>
  );
}
