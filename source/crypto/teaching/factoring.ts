/**
 * Recovering a textbook RSA private key from (e, n) by factoring n: what the seed's client did to
 * "verify" its server, and the first exercise of the attack lab.
 *
 * Method: trial division by the primes below 2^16, then Pollard's rho with Brent's cycle finding and
 * batched gcds (Brent, "An improved Monte Carlo factorization algorithm", BIT 20, 1980; HAC 3.9).
 * Rho finds a prime factor p after about sqrt(p) steps: milliseconds for a 64-bit n, hours to years
 * for a 128-bit n, never for a 2048-bit one. That gap is the lesson: key size is the security.
 *
 * INSECURE: for teaching only. This is an attack; it is here so the lab can watch it work on toy
 * keys and watch it give up on real ones.
 */
import {TeachingInputError} from './errors.js';
import {
	SMALL_PRIMES,
	gcd,
	isProbablePrime,
	millerRabinRound,
	modInverse,
	randomBetween,
} from './number-theory.js';

export type FactoringMethod = 'trial-division' | 'pollard-rho-brent';

export type FactoringProgress = {
	readonly phase: FactoringMethod;
	readonly iterations: number;
	readonly elapsedMs: number;
};

export type RecoverOptions = {
	/** Give up after this long (default 10 000 ms). Infinity waits forever. */
	readonly timeLimitMs?: number;
	/** Called each time the clock is read, i.e. every CLOCK_CHECK_INTERVAL iterations. */
	readonly onProgress?: (progress: FactoringProgress) => void;
};

/** n = p * q with p <= q, and d = e^-1 mod phi(n), as generateKeyPair computes it. */
export type RecoveredPrivateKey = {
	readonly recovered: true;
	readonly p: bigint;
	readonly q: bigint;
	readonly d: bigint;
	readonly method: FactoringMethod;
	/** Trial divisions plus rho steps. */
	readonly iterations: number;
	readonly elapsedMs: number;
};

export type RecoveryFailureReason =
	/** The time limit ran out: the modulus is too large to factor this way. */
	| 'time-limit'
	/** n is prime, so it is not an RSA modulus. */
	| 'n-is-prime'
	/** n factors, but not into exactly two primes. */
	| 'not-two-primes'
	/** gcd(e, phi(n)) != 1: no private exponent exists. */
	| 'e-not-invertible';

export type RecoveryFailure = {
	readonly recovered: false;
	readonly reason: RecoveryFailureReason;
	readonly iterations: number;
	readonly elapsedMs: number;
	readonly timeLimitMs: number;
};

export type RecoveryResult = RecoveredPrivateKey | RecoveryFailure;

export const DEFAULT_TIME_LIMIT_MS = 10_000;
/** Iterations between two readings of the clock (one rho step on a 2048-bit n is a few µs). */
export const CLOCK_CHECK_INTERVAL = 1024;

/** Counts iterations and says when the time limit has run out, reading the clock only now and then. */
class Budget {
	iterations = 0;
	phase: FactoringMethod = 'trial-division';
	private readonly start = performance.now();

	constructor(
		readonly timeLimitMs: number,
		private readonly onProgress: RecoverOptions['onProgress'],
	) {}

	elapsedMs(): number {
		return performance.now() - this.start;
	}

	/** Count one iteration; true when the time is up. */
	tick(): boolean {
		this.iterations++;
		if (this.iterations % CLOCK_CHECK_INTERVAL !== 0) return false;
		const elapsedMs = this.elapsedMs();
		this.onProgress?.({phase: this.phase, iterations: this.iterations, elapsedMs});
		return elapsedMs > this.timeLimitMs;
	}

	timeIsUp(): boolean {
		return this.elapsedMs() > this.timeLimitMs;
	}
}

/** A factor p of n with 1 < p < n, or 'time-limit', or undefined (n has no factor below 2^16). */
function trialDivision(n: bigint, budget: Budget): bigint | 'time-limit' | undefined {
	for (const small of SMALL_PRIMES) {
		const p = BigInt(small);
		if (p * p > n) return undefined;
		if (n % p === 0n) return p;
		if (budget.tick()) return 'time-limit';
	}

	return undefined;
}

/**
 * Pollard's rho with Brent's cycle detection: iterate y -> y^2 + c mod n, multiply |x - y| into an
 * accumulator and take one gcd per BATCH steps. When a batch overshoots (gcd = n), replay it one
 * step at a time; when even that gives n, start again with another c.
 */
function pollardRhoBrent(n: bigint, budget: Budget): bigint | 'time-limit' {
	const batch = 128;
	for (;;) {
		const c = randomBetween(1n, n - 2n);
		let y = randomBetween(0n, n);
		let x = y;
		let ys = y;
		let accumulator = 1n;
		let g = 1n;
		let r = 1;
		while (g === 1n) {
			x = y;
			for (let i = 0; i < r; i++) {
				y = (y * y + c) % n;
				if (budget.tick()) return 'time-limit';
			}

			for (let k = 0; k < r && g === 1n; k += batch) {
				ys = y;
				const steps = Math.min(batch, r - k);
				for (let i = 0; i < steps; i++) {
					y = (y * y + c) % n;
					accumulator = (accumulator * (x > y ? x - y : y - x)) % n;
					if (budget.tick()) return 'time-limit';
				}

				g = gcd(accumulator, n);
			}

			r *= 2;
		}

		if (g === n) {
			do {
				ys = (ys * ys + c) % n;
				g = gcd(x > ys ? x - ys : ys - x, n);
				if (budget.tick()) return 'time-limit';
			} while (g === 1n);
		}

		if (g !== n) return g;
	}
}

/** n is (very probably) prime; one base-2 round first, since nearly every composite fails it. */
function looksPrime(n: bigint): boolean {
	if (n < 1n << 64n) return isProbablePrime(n);
	return millerRabinRound(n, 2n) && isProbablePrime(n, 20);
}

/**
 * Factor n and compute d = e^-1 mod (p-1)(q-1): the private key behind a textbook public key.
 * Never hangs: the clock is read every CLOCK_CHECK_INTERVAL iterations, and on a real modulus
 * (1024 bits and up) this returns {recovered: false, reason: 'time-limit'} soon after the limit.
 */
export function recoverPrivateKey(
	e: bigint,
	n: bigint,
	options: RecoverOptions = {},
): RecoveryResult {
	const timeLimitMs = options.timeLimitMs ?? DEFAULT_TIME_LIMIT_MS;
	if (!(timeLimitMs >= 0)) throw new TeachingInputError('timeLimitMs must be >= 0');
	if (n < 4n) throw new TeachingInputError(`n must be at least 4, got ${n}`);
	if (e < 1n) throw new TeachingInputError(`e must be positive, got ${e}`);
	const budget = new Budget(timeLimitMs, options.onProgress);
	const fail = (reason: RecoveryFailureReason): RecoveryFailure => ({
		recovered: false,
		reason,
		iterations: budget.iterations,
		elapsedMs: budget.elapsedMs(),
		timeLimitMs,
	});

	let factor = trialDivision(n, budget);
	if (factor === 'time-limit') return fail('time-limit');
	if (factor === undefined) {
		if (budget.timeIsUp()) return fail('time-limit');
		if (looksPrime(n)) return fail('n-is-prime');
		budget.phase = 'pollard-rho-brent';
		factor = pollardRhoBrent(n, budget);
		if (factor === 'time-limit') return fail('time-limit');
	}

	const other = n / factor;
	const [p, q] = factor < other ? [factor, other] : [other, factor];
	if (!isProbablePrime(p) || !isProbablePrime(q)) return fail('not-two-primes');
	const phi = p === q ? p * (p - 1n) : (p - 1n) * (q - 1n);
	if (gcd(e, phi) !== 1n) return fail('e-not-invertible');
	return {
		recovered: true,
		p,
		q,
		d: modInverse(e, phi),
		method: budget.phase,
		iterations: budget.iterations,
		elapsedMs: budget.elapsedMs(),
	};
}
