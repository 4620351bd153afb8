import type { User } from "../../entities/users/user.entity";
import type { UserProfileType } from "../../schema/users/user.type";

/** The columns the profile and location blocks are made of (an entity, or a row read by SQL). */
export type ProfileSource = Pick<
  User,
  | "name"
  | "email"
  | "phone"
  | "timezone"
  | "birthday"
  | "weight"
  | "weightUnit"
  | "height"
  | "heightUnit"
  | "preferences"
  | "preExistingConditions"
  | "gender"
  | "ethnicity"
  | "locationCity"
  | "locationState"
  | "locationCountry"
>;

/** The public profile block. */
export function toProfile(u: ProfileSource): UserProfileType {
  return {
    name: u.name ?? null,
    email: u.email ?? null,
    phone: u.phone ?? null,
    timezone: u.timezone ?? null,
    birthday: u.birthday ?? null,
    weight: u.weight ?? null,
    weightUnit: u.weightUnit ?? null,
    height: u.height ?? null,
    heightUnit: u.heightUnit ?? null,
    preferences: u.preferences ?? null,
    preExistingConditions: u.preExistingConditions ?? null,
    gender: u.gender ?? null,
    ethnicity: u.ethnicity ?? null,
  };
}

export function toLocation(u: ProfileSource) {
  if (!u.locationCity && !u.locationState && !u.locationCountry) return null;
  return { city: u.locationCity ?? null, state: u.locationState ?? null, country: u.locationCountry ?? null };
}
