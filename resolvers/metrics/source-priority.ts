/**
 * The one place that ranks a row's provider by METRIC_SOURCE_PRIORITY (bound as a JSON array
 * parameter). `partner:{org}` rows rank as `partner`; unknown providers rank last, then by name.
 */
export const providerKeySql = (alias: string) => `case when ${alias}.provider like 'partner:%' then 'partner' else ${alias}.provider end`;

/** ORDER BY expression; consumes one `?` parameter: JSON.stringify(priority). */
export const sourceRankSql = (alias: string) =>
  `coalesce((select p.ord from jsonb_array_elements_text(?::jsonb) with ordinality as p(name, ord) where p.name = ${providerKeySql(alias)}), 1000000), ${alias}.provider`;
