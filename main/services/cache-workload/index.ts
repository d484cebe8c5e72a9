export { LatencyHistogram, type HistogramBucket, type LatencySummary } from './latency-histogram'
export { runWorkload, workloadKey, WORKLOAD_KEY_PREFIX, type WorkloadProgress, type WorkloadRequest, type WorkloadResult, type WorkloadSpec } from './run-workload'
export { MAX_RUNNING_WORKLOADS, WorkloadRuns } from './workload-runs'
