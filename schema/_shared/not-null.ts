import { IsDefined, ValidateIf } from "class-validator";

/**
 * An optional input field that may be omitted but not sent as null (a PATCH field whose column
 * cannot be empty). GraphQL has no "optional but non-null" input type, so the field is declared
 * nullable and this constraint answers null with `required` "must not be null", for every
 * transport and for variables and inline literals alike. (`skipNullProperties` skips every other
 * constraint on null; `isDefined` is class-validator's one that still runs, so it is used only
 * when the field is present.)
 */
export function NotNullWhenPresent(): PropertyDecorator {
  return (target, key) => {
    ValidateIf((_o, value) => value !== undefined)(target, key);
    IsDefined({ message: "must not be null" })(target, key);
  };
}
