import Link from "next/link";

export default function NotFound() {
  return (
    <div className="space-y-3 py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-gray-600">There is nothing at this address.</p>
      <Link href="/" className="text-indigo-700 hover:underline">
        Back to the start page
      </Link>
    </div>
  );
}
