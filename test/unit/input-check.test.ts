import { GraphQLEnumType, GraphQLError, GraphQLFloat, GraphQLInputObjectType, GraphQLInt, GraphQLList, GraphQLNonNull, GraphQLScalarType, GraphQLString } from "graphql";
import { inputProblems } from "../../resolvers/_shared/input-check";

const Unit = new GraphQLEnumType({ name: "Unit", values: { kg: {}, lb: {} } });
const Year = new GraphQLScalarType({
  name: "Year",
  parseValue: (v) => {
    if (typeof v !== "number") throw new GraphQLError("must be a year");
    if (v > 9999) throw new GraphQLError("must be at most 9999", { extensions: { detailCode: "out_of_range" } });
    return v;
  },
});
const Reading = new GraphQLInputObjectType({
  name: "Reading",
  fields: {
    value: { type: new GraphQLNonNull(GraphQLFloat) },
    unit: { type: Unit },
    year: { type: Year },
    tags: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    limit: { type: new GraphQLNonNull(GraphQLInt), defaultValue: 10 },
  },
});
const Batch = new GraphQLInputObjectType({ name: "Batch", fields: { readings: { type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(Reading))) } } });

describe("inputProblems (structured input checking)", () => {
  it("reports an absent NonNull as required/is required and a null one as required/must not be null", () => {
    expect(inputProblems({}, Reading)).toEqual([{ path: ["value"], code: "required", message: "is required" }]);
    expect(inputProblems({ value: null }, Reading)).toEqual([{ path: ["value"], code: "required", message: "must not be null" }]);
    expect(inputProblems(undefined, new GraphQLNonNull(GraphQLInt))).toEqual([{ path: [], code: "required", message: "is required" }]);
  });

  it("reports wrong types with the type's message, never the value", () => {
    const problems = inputProblems({ value: "ZQXJ-SECRET-7731", unit: "stone", tags: [1] }, Reading);
    expect(problems).toEqual([
      { path: ["value"], code: "invalid_value", message: "must be a number" },
      { path: ["unit"], code: "invalid_value", message: "must be one of: kg, lb" },
      { path: ["tags", 0], code: "invalid_value", message: "must be a string" },
    ]);
    expect(JSON.stringify(problems)).not.toContain("ZQXJ");
  });

  it("keeps a custom scalar's detailCode and message; other scalar errors get the type message", () => {
    expect(inputProblems({ value: 1, year: 12000 }, Reading)).toEqual([{ path: ["year"], code: "out_of_range", message: "must be at most 9999" }]);
    expect(inputProblems({ value: 1, year: "x" }, Reading)).toEqual([{ path: ["year"], code: "invalid_value", message: "is invalid" }]);
  });

  it("walks lists of objects with indexes, accepts a lone item for a list, and names unknown fields", () => {
    expect(inputProblems({ readings: [{ value: 1 }, { value: null, extra: true }] }, Batch)).toEqual([
      { path: ["readings", 1, "value"], code: "required", message: "must not be null" },
      { path: ["readings", 1, "extra"], code: "unknown_field", message: "is not a recognised field" },
    ]);
    expect(inputProblems({ readings: { value: 2 } }, Batch)).toEqual([]);
    expect(inputProblems({ readings: 5 }, Batch)).toEqual([{ path: ["readings"], code: "invalid_value", message: "must be an object" }]);
  });

  it("lets a defaulted NonNull field be omitted but not sent as null", () => {
    expect(inputProblems({ value: 1 }, Reading)).toEqual([]);
    expect(inputProblems({ value: 1, limit: null }, Reading)).toEqual([{ path: ["limit"], code: "required", message: "must not be null" }]);
  });
});
