import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { withoutInvalidCallbackUrls } from "@/lib/auth/without-invalid-callback-urls";

export const GET = (request: NextRequest) => handlers.GET(withoutInvalidCallbackUrls(request));
export const POST = (request: NextRequest) => handlers.POST(withoutInvalidCallbackUrls(request));
