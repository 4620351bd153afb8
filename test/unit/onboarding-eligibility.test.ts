import { MIN_NUDGE_AGE, ineligibleSql, isEligible } from "../../resolvers/onboarding";

describe("onboarding eligibility", () => {
  it("turns eligible on the 18th birthday, not the day before", () => {
    expect(MIN_NUDGE_AGE).toBe(18);
    expect(isEligible("2012-06-15", "2030-06-14")).toBe(false);
    expect(isEligible("2012-06-15", "2030-06-15")).toBe(true);
    expect(isEligible("2012-06-15", "2030-06-16")).toBe(true);
    expect(isEligible("2012-12-31", "2030-12-30")).toBe(false);
    expect(isEligible("2012-12-31", "2030-12-31")).toBe(true);
    expect(isEligible("1970-01-01", "2030-06-15")).toBe(true);
    expect(isEligible("2029-01-01", "2030-06-15")).toBe(false);
  });

  it("treats an unknown birthday as eligible", () => {
    expect(isEligible(null, "2030-06-15")).toBe(true);
  });

  it("counts a 29 February birthday as 18 on 28 February of a common year, like PostgreSQL", () => {
    expect(isEligible("2008-02-29", "2026-02-27")).toBe(false);
    expect(isEligible("2008-02-29", "2026-02-28")).toBe(true);
    expect(isEligible("2012-02-29", "2030-02-28")).toBe(true);
    expect(isEligible("2014-02-28", "2032-02-27")).toBe(false);
    expect(isEligible("2014-02-28", "2032-02-28")).toBe(true);
  });

  it("builds a SQL fragment on the given alias and refuses anything but an identifier", () => {
    expect(ineligibleSql("u")).toContain("u.birthday is not null");
    expect(ineligibleSql("u")).toContain("coalesce(u.timezone, 'UTC')");
    expect(ineligibleSql("u")).toContain("now()");
    expect(() => ineligibleSql("u; drop table users")).toThrow();
  });
});
