/**
 * The attack lab's table of scenarios and the loop that runs them: a heading, the scenario's own
 * lines (teaching suite first, INSECURE, then the default suite), and one closing "Lesson:" line.
 * A scenario whose outcome differs from the prediction (succeeds against teaching, fails against
 * default), or that breaks, makes the run fail.
 */
import {runDowngrade} from './downgrade.js';
import {runFactor} from './factor.js';
import {runMitm} from './mitm.js';
import type {LabOutput} from './output.js';
import {runReplay} from './replay.js';
import {asExpected, type LabScenario, type ScenarioResult} from './scenario.js';
import {runTamper} from './tamper.js';

export const SCENARIOS: readonly LabScenario[] = [
	{
		name: 'factor',
		summary:
			'an eavesdropper factors the textbook RSA key, decrypts a recorded session; X25519 leaves nothing to factor',
		run: async (out) => runFactor(out),
	},
	{
		name: 'mitm',
		summary:
			'a man in the middle presents its own host key: trusted blindly vs. CHANGED in known_hosts',
		run: async (out) => runMitm(out),
	},
	{
		name: 'replay',
		summary:
			'a recorded signature answers a new "prove it" (fixed sentence) vs. bad_signature; replayed client flights',
		run: async (out) => runReplay(out),
	},
	{
		name: 'tamper',
		summary:
			'bit flips in a deposit record change the amount silently (S-DES, no MAC) vs. bad_record_mac',
		run: async (out) => runTamper(out),
	},
	{
		name: 'downgrade',
		summary:
			'stripping the strong suites from the offer: a full downgrade to the teaching suite vs. bad_signature',
		run: async (out) => runDowngrade(out),
	},
];

export function findScenario(name: string): LabScenario | undefined {
	return SCENARIOS.find((scenario) => scenario.name === name);
}

export type ScenarioRun = {
	readonly name: string;
	readonly asExpected: boolean;
	readonly result?: ScenarioResult;
	readonly error?: Error;
};

/** Runs one scenario, framed by its heading and its lesson. */
export async function runScenario(scenario: LabScenario, out: LabOutput): Promise<ScenarioRun> {
	out.line(`== lab ${scenario.name}: ${scenario.summary} ==`);
	try {
		const result = await scenario.run(out);
		out.line();
		out.line(`Lesson: ${result.lesson}`);
		return {name: scenario.name, asExpected: asExpected(result), result};
	} catch (error) {
		const failure = error instanceof Error ? error : new Error(String(error));
		out.line(`  the scenario broke: ${failure.message}`);
		out.line();
		out.line('Lesson: none this time: the lab itself failed (see above).');
		return {name: scenario.name, asExpected: false, error: failure};
	}
}

/** Every scenario in turn, then one summary line. */
export async function runAllScenarios(out: LabOutput): Promise<ScenarioRun[]> {
	const runs: ScenarioRun[] = [];
	for (const scenario of SCENARIOS) {
		if (runs.length > 0) out.line();
		runs.push(await runScenario(scenario, out));
	}

	out.line();
	const verdicts = runs
		.map((run) => `${run.name} ${run.asExpected ? 'as expected' : 'NOT as expected'}`)
		.join(', ');
	out.line(
		`Summary: ${runs.filter((run) => run.asExpected).length} of ${runs.length} scenarios as expected (${verdicts}).`,
	);
	return runs;
}
