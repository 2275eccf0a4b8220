/**
 * The benchmark's command line: `--quick` for a short smoke run, `--only=PART[,PART]` to run some
 * parts, `--profile-server=DIR` to write a V8 CPU profile of every server child into DIR.
 */
export const BENCH_PARTS = ['handshake', 'cpu', 'rtt', 'ledger', 'startup'] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];

export type BenchOptions = {
	readonly quick: boolean;
	readonly parts: ReadonlySet<BenchPart>;
	/** Write `--cpu-prof` profiles of the server children here. */
	readonly profileServerDirectory: string | undefined;
	/** Alternating ours/peer rounds; every reported figure is the median over them. */
	readonly rounds: number;
	/** One timed measurement (handshakes, ledger operations). */
	readonly measureMs: number;
	readonly warmUpMs: number;
	/** Handshakes per server-CPU measurement, and how many measurements per side. */
	readonly cpuHandshakes: number;
	readonly cpuRepeats: number;
	/** Round trips per batch and batches per channel (after one warm-up batch). */
	readonly rttBatch: number;
	readonly rttBatches: number;
	/** Concurrent clients of the "many clients" measurements. */
	readonly concurrency: number;
};

function isPart(value: string): value is BenchPart {
	return (BENCH_PARTS as readonly string[]).includes(value);
}

export function parseOptions(argv: readonly string[]): BenchOptions {
	let quick = false;
	let parts = new Set<BenchPart>(BENCH_PARTS);
	let profileServerDirectory: string | undefined;
	for (const argument of argv) {
		if (argument === '--quick') {
			quick = true;
		} else if (argument.startsWith('--only=')) {
			const wanted = argument
				.slice('--only='.length)
				.split(',')
				.filter((part) => part !== '');
			const unknown = wanted.filter((part) => !isPart(part));
			if (unknown.length > 0 || wanted.length === 0) {
				throw new Error(
					`--only takes ${BENCH_PARTS.join('|')} (comma separated), got "${argument.slice(7)}"`,
				);
			}

			parts = new Set(wanted.filter((part) => isPart(part)));
		} else if (argument.startsWith('--profile-server=')) {
			profileServerDirectory = argument.slice('--profile-server='.length);
		} else {
			throw new Error(
				`unknown option ${argument}; use --quick, --only=${BENCH_PARTS.join('|')}, --profile-server=DIR`,
			);
		}
	}

	return {
		quick,
		parts,
		profileServerDirectory,
		rounds: quick ? 2 : 5,
		measureMs: quick ? 700 : 3000,
		warmUpMs: quick ? 300 : 1000,
		cpuHandshakes: quick ? 500 : 2000,
		cpuRepeats: quick ? 1 : 3,
		rttBatch: quick ? 500 : 1000,
		rttBatches: quick ? 6 : 20,
		concurrency: 32,
	};
}
