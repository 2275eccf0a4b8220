/**
 * Shared by the attack-lab tests: run one scenario through the runner (heading, both sides, one
 * closing "Lesson:" line) with its output collected instead of printed.
 */
import {expect} from 'vitest';
import {collectOutput} from '../../source/lab/output.js';
import {findScenario, runScenario, type ScenarioRun} from '../../source/lab/runner.js';

export async function runCollected(name: string): Promise<{run: ScenarioRun; lines: string[]}> {
	const scenario = findScenario(name);
	if (!scenario) throw new Error(`no lab scenario ${name}`);
	const out = collectOutput();
	const run = await runScenario(scenario, out);
	return {run, lines: out.lines};
}

/** Teaching first, then default, each with its outcome line, and exactly one Lesson line, last. */
export function expectReport(lines: readonly string[]): void {
	const teaching = lines.findIndex((line) => line.startsWith('-- teaching suite (INSECURE)'));
	const secure = lines.findIndex((line) => line.startsWith('-- default suite'));
	expect(teaching).toBeGreaterThan(0);
	expect(secure).toBeGreaterThan(teaching);
	const outcomes = lines.filter((line) => line.startsWith('  Outcome: '));
	expect(outcomes).toHaveLength(2);
	expect(outcomes.every((line) => line.endsWith('(as expected)'))).toBe(true);
	expect(lines.filter((line) => line.startsWith('Lesson:'))).toHaveLength(1);
	expect(lines.at(-1)).toMatch(/^Lesson: \S/);
}
