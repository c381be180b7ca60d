import { expect, it } from "vitest";
import { pathTemplate } from "./path-template";

it("keeps the shape of a call and drops the ids in it", () => {
  expect(pathTemplate("/repos/acme/app/issues/42")).toBe("/repos/acme/app/issues/{id}");
  expect(pathTemplate("/users/alice@example.com/messages")).toBe("/users/{id}/messages");
  expect(pathTemplate("/drive/v3/files/1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms")).toBe("/drive/v3/files/{id}");
  expect(pathTemplate("/items/3f1c2a9e-7b1d-4c2e-9a8f-0123456789ab/comments")).toBe("/items/{id}/comments");
  expect(pathTemplate("/calendar/v3/calendars/primary/events?q=secret")).toBe("/calendar/v3/calendars/primary/events");
  expect(pathTemplate("/me")).toBe("/me");
  expect(pathTemplate("/conversations.list")).toBe("/conversations.list");
});
