import { registerEnumType } from "type-graphql";

/** List sort direction (`sort_order` on the wire). */
export enum SortOrder {
  asc = "asc",
  desc = "desc",
}
registerEnumType(SortOrder, {
  name: "SortOrder",
  valuesConfig: { asc: { description: "Oldest / earliest first." }, desc: { description: "Newest / latest first." } },
});
