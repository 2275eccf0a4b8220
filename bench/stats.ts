/**
 * Small statistics and formatting helpers for the benchmark: medians (every figure the bench
 * reports is a median of rounds or batches) and a plain text table.
 */

/** The median of a non-empty list (the mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** The p-th percentile (0..100), nearest rank. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
	return sorted[rank]!;
}

/** A number with about three significant digits, for tables. */
export function formatNumber(value: number): string {
	if (!Number.isFinite(value)) return String(value);
	const magnitude = Math.abs(value);
	if (magnitude >= 100) return Math.round(value).toString();
	if (magnitude >= 10) return value.toFixed(1);
	return value.toFixed(2);
}

/** Rounds for the JSON lines: integers above 100, else three decimals. */
export function roundForJson(value: number): number {
	return Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 1000) / 1000;
}

/** A left-aligned first column, right-aligned others, separated by two spaces. */
export function renderTable(
	headers: readonly string[],
	rows: ReadonlyArray<readonly string[]>,
): string {
	const widths = headers.map((header, column) =>
		Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
	);
	const line = (cells: readonly string[]) =>
		cells
			.map((cell, column) =>
				column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!),
			)
			.join('  ');
	return [
		line(headers),
		widths.map((width) => '-'.repeat(width)).join('  '),
		...rows.map((row) => line(row)),
	].join('\n');
}

export async function sleep(milliseconds: number): Promise<void> {
	return new Promise((resolve) => {
		setTimeout(resolve, milliseconds);
	});
}
