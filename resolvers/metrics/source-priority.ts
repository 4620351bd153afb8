/**
 * The one place that ranks a row's provider by METRIC_SOURCE_PRIORITY (bound as a JSON array
 * parameter). `partner:{org}` rows rank as `partner`; unknown providers rank last, then by name.
 */
export const providerKeySql = (alias: string) => `case when ${alias}.provider like 'partner:%' then 'partner' else ${alias}.provider end`;

/** ORDER BY expression; consumes one `?` parameter: JSON.stringify(priority). */
export const sourceRankSql = (alias: string) =>
  `coalesce((select p.ord from jsonb_array_elements_text(?::jsonb) with ordinality as p(name, ord) where p.name = ${providerKeySql(alias)}), 1000000), ${alias}.provider`;

/**
 * The join form of the same ranking, for set-based reads over many rows (one hash join instead of
 * a subquery per row): put `PRIORITY_CTE_SQL` in the WITH list (one `?` parameter:
 * JSON.stringify(priority)), `rankJoinSql(alias)` after the FROM, and order by `rankOrderSql(alias)`.
 */
export const PRIORITY_CTE_SQL = "pr as (select name, ord from jsonb_array_elements_text(?::jsonb) with ordinality as p(name, ord))";
export const rankJoinSql = (alias: string) => `left join pr on pr.name = ${providerKeySql(alias)}`;
export const rankOrderSql = (alias: string) => `coalesce(pr.ord, 1000000), ${alias}.provider`;
