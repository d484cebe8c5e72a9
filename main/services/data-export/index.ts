export { exportRows, exportToFile, type ExportRequest, type ExportSource, type ExportSummary } from './export-rows'
export { FORMATS, csvField, jsonlCell, type ExportFormat } from './row-formats'
