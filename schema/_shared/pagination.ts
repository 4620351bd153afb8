import { Max, Min } from "class-validator";
import { ArgsType, Field, Int, ObjectType, type ClassType } from "type-graphql";

@ObjectType("Pagination", { description: "Offset pagination of a list." })
export class PaginationType {
  @Field(() => Int) limit!: number;
  @Field(() => Int) offset!: number;
  @Field(() => Int, { description: "Total number of rows matching the filters." }) total!: number;
}

/** Builds an ArgsType with the documented limit default and maximum for one list. */
export function makePaginationArgs(defaultLimit: number, maxLimit: number): ClassType<{ limit: number; offset: number }> {
  @ArgsType()
  class PaginationArgs {
    @Field(() => Int, { defaultValue: defaultLimit, description: `Page size, 1–${maxLimit}.` })
    @Min(1)
    @Max(maxLimit)
    limit: number = defaultLimit;

    @Field(() => Int, { defaultValue: 0, description: "Rows to skip, ≥ 0." })
    @Min(0)
    offset: number = 0;
  }
  return PaginationArgs;
}

/** The default list pagination: limit 25 (1–100), offset ≥ 0. */
export const PaginationArgs = makePaginationArgs(25, 100);
export type PageArgs = { limit: number; offset: number };

export interface Page<T> {
  items: T[];
  pagination: PaginationType;
}

/** Generic page type: `items` plus `pagination` (the REST facade renders it as `{data, pagination}`). */
export function PageType<T extends object>(item: ClassType<T>) {
  @ObjectType()
  abstract class PageClass {
    @Field(() => [item]) items!: T[];
    @Field(() => PaginationType) pagination!: PaginationType;
  }
  return PageClass;
}
