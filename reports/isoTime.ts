/** Epoch ms as ISO-8601 UTC (`2024-01-01T00:00:00.000Z`); empty when not a valid time. */
export function formatIsoTime(timeMs: number | null | undefined): string {
  if (timeMs === null || timeMs === undefined || !Number.isFinite(timeMs)) return "";
  const date = new Date(timeMs);
  return Number.isNaN(date.getTime()) ? "" : date.toISOString();
}
