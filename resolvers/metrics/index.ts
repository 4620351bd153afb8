export { TIMESERIES_METRICS, timeseriesMetric, type TimeseriesMetric } from "./timeseries.catalog";
export { TimeseriesResolver } from "./timeseries.resolver";
export { TimeseriesService, findTimeseriesSample, ingestTimeseries, type TimeseriesWriteCounts, type TimeseriesWriteTarget } from "./timeseries.service";
export { FRESH_WITHIN_MS, lastDataByResource } from "./freshness";
export { ingestSummaries, type SummaryWriteTarget } from "./summaries.service";
export { daysInclusive, localDate } from "./local-day";
export { PRIORITY_CTE_SQL, providerKeySql, rankJoinSql, rankOrderSql, sourceRankSql } from "./source-priority";
