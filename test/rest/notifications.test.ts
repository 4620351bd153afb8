import { expectError, startHarness, type Harness, type TestMember } from "../helpers/harness";

let h: Harness;
beforeAll(async () => (h = await startHarness()));
afterAll(() => h.stop());

const statePath = (m: TestMember) => `/v1/users/${m.userId}/notifications/state`;
const privacyPath = (m: TestMember) => `/v1/users/${m.userId}/privacy-settings`;

describe("notifications state", () => {
  it("defaults to not enrolled, and PATCH enrolls and unenrolls with 204", async () => {
    const m = await (await h.tenant()).member();
    expect(await h.req("GET", statePath(m), { token: m.token })).toMatchObject({ status: 200, body: { data: { backend_notifications_enabled: false } } });
    const on = await h.req("PATCH", statePath(m), { token: m.token, body: { backend_notifications_enabled: true } });
    expect(on.status).toBe(204);
    expect(on.text).toBe("");
    expect((await h.req("GET", statePath(m), { token: m.token })).body).toEqual({ data: { backend_notifications_enabled: true } });
    expect((await h.req("PATCH", statePath(m), { token: m.token, body: { backend_notifications_enabled: true } })).status).toBe(204);
    expect((await h.req("PATCH", statePath(m), { token: m.token, body: { backend_notifications_enabled: false } })).status).toBe(204);
    expect((await h.req("GET", statePath(m), { token: m.token })).body).toEqual({ data: { backend_notifications_enabled: false } });
  });

  it("requires a boolean backend_notifications_enabled (422 details)", async () => {
    const m = await (await h.tenant()).member();
    const cases: [unknown, string, string][] = [
      [{}, "backend_notifications_enabled", "required"],
      [{ backend_notifications_enabled: null }, "backend_notifications_enabled", "required"],
      [{ backend_notifications_enabled: "yes" }, "backend_notifications_enabled", "invalid_value"],
      [{ backend_notifications_enabled: true, os_permission: true }, "os_permission", "unknown_field"],
    ];
    for (const [body, field, code] of cases) {
      const res = await h.req("PATCH", statePath(m), { token: m.token, body });
      expectError(res, 422, "validation_error");
      expect(res.body.error.details).toEqual([expect.objectContaining({ field, code })]);
    }
    expectError(await h.req("PATCH", statePath(m), { token: m.token }), 422, "validation_error");
    expect((await h.req("GET", statePath(m), { token: m.token })).body.data.backend_notifications_enabled).toBe(false);
  });

  it("returns 404 for another member's or another partner's state, and changes nothing", async () => {
    const t = await h.tenant();
    const a = await t.member();
    const b = await t.member();
    const c = await (await h.tenant()).member();
    for (const other of [b, c]) {
      expectError(await h.req("GET", statePath(a), { token: other.token }), 404, "not_found");
      expectError(await h.req("PATCH", statePath(a), { token: other.token, body: { backend_notifications_enabled: true } }), 404, "not_found");
    }
    expect((await h.req("GET", statePath(a), { token: a.token })).body.data.backend_notifications_enabled).toBe(false);
  });

  it("is readable and writable over GraphQL", async () => {
    const m = await (await h.tenant()).member();
    const set = await h.gql(
      "mutation($u: UUID!) { updateNotificationState(userId: $u, input: { backendNotificationsEnabled: true }) { backendNotificationsEnabled } }",
      { u: m.userId },
      { token: m.token },
    );
    expect(set.body.data).toEqual({ updateNotificationState: { backendNotificationsEnabled: true } });
    const got = await h.gql("query($u: UUID!) { notificationState(userId: $u) { backendNotificationsEnabled } }", { u: m.userId }, { token: m.token });
    expect(got.body.data).toEqual({ notificationState: { backendNotificationsEnabled: true } });
  });
});

describe("privacy settings: nudges_enabled", () => {
  it("defaults to true, PATCH sets it without touching the other consent, and GraphQL shows it", async () => {
    const m = await (await h.tenant()).member();
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body).toEqual({
      data: { conversation_recording_opt_in: false, nudges_enabled: true },
    });
    expect((await h.req("PATCH", privacyPath(m), { token: m.token, body: { conversation_recording_opt_in: true } })).status).toBe(204);
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body.data).toEqual({ conversation_recording_opt_in: true, nudges_enabled: true });
    const off = await h.req("PATCH", privacyPath(m), { token: m.token, body: { nudges_enabled: false } });
    expect(off.status).toBe(204);
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body.data).toEqual({ conversation_recording_opt_in: true, nudges_enabled: false });
    expect((await h.req("PATCH", privacyPath(m), { token: m.token, body: { conversation_recording_opt_in: false } })).status).toBe(204);
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body.data).toEqual({ conversation_recording_opt_in: false, nudges_enabled: false });
    const gql = await h.gql("query($u: UUID!) { privacySettings(userId: $u) { nudgesEnabled } }", { u: m.userId }, { token: m.token });
    expect(gql.body.data).toEqual({ privacySettings: { nudgesEnabled: false } });
  });

  it("stores nudges_enabled alone on a member with no privacy row yet, keeping recording off", async () => {
    const m = await (await h.tenant()).member();
    expect((await h.req("PATCH", privacyPath(m), { token: m.token, body: { nudges_enabled: false } })).status).toBe(204);
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body.data).toEqual({ conversation_recording_opt_in: false, nudges_enabled: false });
  });

  it("rejects a non-boolean nudges_enabled and hides other members' settings", async () => {
    const t = await h.tenant();
    const m = await t.member();
    const other = await t.member();
    const res = await h.req("PATCH", privacyPath(m), { token: m.token, body: { nudges_enabled: "off" } });
    expectError(res, 422, "validation_error");
    expect(res.body.error.details).toEqual([expect.objectContaining({ field: "nudges_enabled", code: "invalid_value" })]);
    expectError(await h.req("PATCH", privacyPath(m), { token: other.token, body: { nudges_enabled: false } }), 404, "not_found");
    expect((await h.req("GET", privacyPath(m), { token: m.token })).body.data.nudges_enabled).toBe(true);
  });
});
