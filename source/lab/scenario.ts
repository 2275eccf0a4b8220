/**
 * The shape every attack-lab scenario shares: it runs the attack for real against the INSECURE
 * teaching suite and against the default suite, prints what the attacker sees and does, and
 * returns one structured result per side.
 */
import type {LabOutput} from './output.js';

export type SideResult = {
	/** Whether the attacker got what it was after (read, forged, changed or downgraded). */
	readonly attackSucceeded: boolean;
	/** One line: what happened. */
	readonly outcome: string;
};

export type ScenarioResult<
	Teaching extends SideResult = SideResult,
	Default extends SideResult = SideResult,
> = {
	readonly teaching: Teaching;
	readonly default: Default;
	/** The one-sentence lesson, printed last as "Lesson: ...". */
	readonly lesson: string;
};

export type LabScenario = {
	readonly name: string;
	/** One line for `securebank lab`. */
	readonly summary: string;
	run(out: LabOutput): Promise<ScenarioResult>;
};

/** The lab's prediction: the attack works against the teaching suite and not against the default. */
export function asExpected(result: ScenarioResult): boolean {
	return result.teaching.attackSucceeded && !result.default.attackSucceeded;
}
