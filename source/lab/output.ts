/**
 * Where the attack lab writes: plain text lines, printed as the attack happens (the CLI streams them
 * to stdout) or collected (the tests). Also the few formatting helpers every scenario shares.
 *
 * The lab attacks the INSECURE teaching suite (0x7f01) and the default suite side by side; every
 * heading names which one a line is about.
 */
import {formatCents} from '../bank/money.js';

export type LabOutput = {
	line(text?: string): void;
};

/** Writes each line as soon as it exists (the CLI passes process.stdout's write). */
export function streamOutput(write: (text: string) => void): LabOutput {
	return {
		line(text = '') {
			write(`${text}\n`);
		},
	};
}

/** Keeps the lines, for tests. */
export function collectOutput(): LabOutput & {readonly lines: string[]} {
	const lines: string[] = [];
	return {
		lines,
		line(text = '') {
			lines.push(text);
		},
	};
}

export const silentOutput: LabOutput = {
	line() {
		// Nothing: the caller only wants the structured result.
	},
};

/** The two sides of every scenario, in the order they are shown. */
export type Side = 'teaching' | 'default';

export function sectionHeading(out: LabOutput, side: Side, suiteLabel: string): void {
	out.line();
	out.line(
		side === 'teaching'
			? `-- teaching suite (INSECURE): ${suiteLabel} --`
			: `-- default suite: ${suiteLabel} --`,
	);
}

/** The verdict line of one side; `expected` is what the lab predicts for that side. */
export function outcomeLine(
	out: LabOutput,
	side: Side,
	attackSucceeded: boolean,
	detail: string,
): void {
	const expected = side === 'teaching' ? attackSucceeded : !attackSucceeded;
	const verdict = attackSucceeded ? 'attack SUCCEEDED' : 'attack FAILED';
	out.line(`  Outcome: ${verdict}: ${detail} (${expected ? 'as expected' : 'NOT as expected'})`);
}

/** Hex, cut after `max` bytes. */
export function hex(bytes: Uint8Array, max = 24): string {
	const text = Buffer.from(bytes.subarray(0, max)).toString('hex');
	return bytes.length > max ? `${text}...` : text;
}

/** A fingerprint shortened for a line of text: "SHA256:abcdefghij...". */
export function shortFingerprint(fingerprint: string): string {
	return fingerprint.length > 23 ? `${fingerprint.slice(0, 23)}...` : fingerprint;
}

export function money(cents: number): string {
	return formatCents(cents);
}

export function milliseconds(value: number): string {
	return value < 10 ? `${value.toFixed(2)} ms` : `${Math.round(value)} ms`;
}

/** The UTF-8 text of a bank message, with non-printable bytes escaped so a garbled one shows. */
export function printable(bytes: Uint8Array): string {
	let text = '';
	for (const byte of bytes) {
		text +=
			byte >= 0x20 && byte < 0x7f
				? String.fromCodePoint(byte)
				: String.raw`\x` + byte.toString(16).padStart(2, '0');
	}

	return text;
}
