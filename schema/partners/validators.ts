import { ValidateBy } from "class-validator";

/*
 * Length limits measured after trimming (the service stores the trimmed value). The constraint
 * names are class-validator's own `minLength`/`maxLength`, so errors map to the public detail codes
 * `too_short`/`too_long` like every other length rule.
 */
export const TrimmedMinLength = (min: number) =>
  ValidateBy({
    name: "minLength",
    constraints: [min],
    validator: {
      validate: (v: unknown) => typeof v !== "string" || v.trim().length >= min,
      defaultMessage: () => (min === 1 ? "must not be blank" : `must be at least ${min} characters`),
    },
  });

export const TrimmedMaxLength = (max: number) =>
  ValidateBy({
    name: "maxLength",
    constraints: [max],
    validator: {
      validate: (v: unknown) => typeof v !== "string" || v.trim().length <= max,
      defaultMessage: () => `must be at most ${max} characters`,
    },
  });
