/**
 * Load drivers: N clients looping for a fixed time, or until a fixed total, each with one
 * operation outstanding; and batched sequential round trips.
 */
import type {Pinger} from './clients.js';

export type TimedRun = {
	readonly operations: number;
	readonly failures: number;
	readonly elapsedMs: number;
	readonly perSecond: number;
	/** Milliseconds per operation, as the operation reported it. */
	readonly latencies: readonly number[];
};

/**
 * Runs `concurrency` workers; each repeats `operation` (which resolves with its latency in ms)
 * until `shouldStop()` says so. Failures are counted; more than 1% of them fail the run, since a
 * benchmark of an erroring server measures the wrong thing.
 */
async function runWorkers(
	operation: () => Promise<number>,
	concurrency: number,
	claim: () => boolean,
	label: string,
): Promise<TimedRun> {
	const latencies: number[] = [];
	let failures = 0;
	let lastError: unknown;
	const started = performance.now();
	const worker = async () => {
		while (claim()) {
			try {
				latencies.push(await operation());
			} catch (error) {
				failures++;
				lastError = error;
			}
		}
	};

	await Promise.all(Array.from({length: concurrency}, async () => worker()));
	const elapsedMs = performance.now() - started;
	if (failures > Math.max(1, latencies.length / 100)) {
		const reason = lastError instanceof Error ? lastError.message : String(lastError);
		throw new Error(
			`${label}: ${failures} of ${failures + latencies.length} operations failed; last: ${reason}`,
		);
	}

	return {
		operations: latencies.length,
		failures,
		elapsedMs,
		perSecond: (latencies.length * 1000) / elapsedMs,
		latencies,
	};
}

/** Every worker starts operations until `durationMs` has passed (the last ones still finish). */
export async function runForDuration(
	operation: () => Promise<number>,
	concurrency: number,
	durationMs: number,
	label: string,
): Promise<TimedRun> {
	const deadline = performance.now() + durationMs;
	return runWorkers(operation, concurrency, () => performance.now() < deadline, label);
}

/** Exactly `total` operations shared among the workers. */
export async function runCount(
	operation: () => Promise<number>,
	concurrency: number,
	total: number,
	label: string,
): Promise<TimedRun> {
	let started = 0;
	return runWorkers(operation, concurrency, () => started++ < total, label);
}

/** Microseconds per round trip, the mean of one batch of `count` sequential round trips. */
export async function roundTripBatch(pinger: Pinger, count: number): Promise<number> {
	const started = performance.now();
	for (let index = 0; index < count; index++) {
		await pinger.roundTrip();
	}

	return ((performance.now() - started) * 1000) / count;
}

/** The median of per-batch means, batches of the pingers interleaved (rotating who goes first). */
export async function interleavedRoundTrips(
	pingers: readonly Pinger[],
	batch: number,
	batches: number,
): Promise<number[][]> {
	const means: number[][] = pingers.map(() => []);
	for (const pinger of pingers) await roundTripBatch(pinger, batch);
	for (let round = 0; round < batches; round++) {
		for (let offset = 0; offset < pingers.length; offset++) {
			const index = (round + offset) % pingers.length;
			means[index]!.push(await roundTripBatch(pingers[index]!, batch));
		}
	}

	return means;
}
