/**
 * `securebank lab [SCENARIO]`: the attack lab. Each scenario runs a real attack over loopback,
 * against the INSECURE teaching suite (0x7f01, the seed's textbook RSA, SHA-1 signature and S-DES)
 * and against the default suite, and prints what the attacker sees and does, side by side.
 *
 * No scenario: list them (exit 0). Unknown scenario: usage error (exit 2). `all`: run every one.
 * Exit 0 when every outcome was as predicted (the attack succeeds against the teaching suite and
 * fails against the default suite), 5 otherwise.
 */
import {streamOutput} from '../lab/output.js';
import {findScenario, runAllScenarios, runScenario, SCENARIOS} from '../lab/runner.js';
import type {CliFlags} from './run.js';

function listScenarios(write: (text: string) => void): void {
	const width = Math.max(...SCENARIOS.map((scenario) => scenario.name.length), 'all'.length);
	write(
		'securebank lab: attacks against the INSECURE teaching suite (0x7f01) and the default suite, over loopback\n\n',
	);
	for (const scenario of SCENARIOS)
		write(`  ${scenario.name.padEnd(width)}  ${scenario.summary}\n`);
	write(`  ${'all'.padEnd(width)}  every scenario in turn\n\n`);
	write('Run one with: securebank lab SCENARIO\n');
}

/** The flags are accepted for the shared command line; the lab needs none of them. */
export async function runLab(scenario: string | undefined, _flags: CliFlags): Promise<number> {
	const write = (text: string) => {
		process.stdout.write(text);
	};

	if (scenario === undefined) {
		listScenarios(write);
		return 0;
	}

	const out = streamOutput(write);
	if (scenario === 'all') {
		const runs = await runAllScenarios(out);
		return runs.every((run) => run.asExpected) ? 0 : 5;
	}

	const found = findScenario(scenario);
	if (!found) {
		process.stderr.write(
			`securebank: unknown lab scenario "${scenario}"; one of ${[...SCENARIOS.map((known) => known.name), 'all'].join(', ')} (securebank lab lists them)\n`,
		);
		return 2;
	}

	const run = await runScenario(found, out);
	return run.asExpected ? 0 : 5;
}
