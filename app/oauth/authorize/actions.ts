"use server";

import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { z } from "zod";
import { withAction } from "@/lib/actions/with-action";
import { authorizePath } from "@/lib/oauth-apps/authorize-path";
import { issueAuthorizationCode } from "@/lib/oauth-apps/authorize-application";
import { authorizationResponseUrl, validateAuthorizationRequest } from "@/lib/oauth-apps/authorization-request";
import { issuerFor } from "@/lib/oauth/authorization-server-metadata";

const param = z.string().max(2000).optional();

const decisionSchema = z.object({
  decision: z.enum(["approve", "deny"]),
  client_id: param,
  redirect_uri: param,
  response_type: param,
  scope: param,
  state: param,
  code_challenge: param,
  code_challenge_method: param,
  resource: param,
});

/**
 * The consent screen's Approve / Deny. The request is validated again from scratch (the form is the
 * browser's to change); an untrustworthy client or redirect URI goes back to Tessera's error page.
 */
export const decideAuthorizationAction = withAction({ audience: "user", returnTo: authorizePath, schema: decisionSchema }, async (input, { viewer, ip }) => {
  const { decision, ...params } = input;
  const issuer = issuerFor(await headers(), "http://localhost:3000");
  const validation = await validateAuthorizationRequest(params, issuer);
  if (!validation.ok && validation.kind === "fatal") redirect(authorizePath(params));
  if (!validation.ok)
    redirect(
      authorizationResponseUrl(validation.redirectUri, { error: validation.error, error_description: validation.description, state: validation.state }, issuer),
    );
  const { request } = validation;
  if (decision === "deny")
    redirect(
      authorizationResponseUrl(
        request.redirectUri,
        { error: "access_denied", error_description: "The person denied the request.", state: request.state },
        issuer,
      ),
    );
  const code = await issueAuthorizationCode(viewer.id, request, { consented: true, ip });
  if (!code) redirect(`/signin?callbackUrl=${encodeURIComponent(authorizePath(params))}`);
  redirect(authorizationResponseUrl(request.redirectUri, { code, state: request.state }, issuer));
});
