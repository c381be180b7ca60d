import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { withRequestOrigin } from "@/lib/auth/request-origin";
import { withoutInvalidCallbackUrls } from "@/lib/auth/without-invalid-callback-urls";

export const GET = (request: NextRequest) => handlers.GET(withRequestOrigin(withoutInvalidCallbackUrls(request)));
export const POST = (request: NextRequest) => handlers.POST(withRequestOrigin(withoutInvalidCallbackUrls(request)));
