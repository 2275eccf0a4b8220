/**
 * Field checks for the bank's wire codec (wire.ts): each takes a decoded JSON value and says what
 * is wrong with it, or undefined when it is acceptable. Messages complete a sentence that starts
 * with the field's name: `"amount" must be a whole number of cents`.
 */

import {
	accountNameProblem,
	HISTORY_MAX_LIMIT,
	passwordProblem,
	requestIdProblem,
} from './input-rules.js';
import {BANK_ERROR_CODES, JOURNAL_KINDS} from './outcomes.js';

/** What is wrong with a value, or undefined when nothing is. */
export type FieldCheck = (value: unknown) => string | undefined;

/** The fields an object must have and those it may have; any other field is refused. */
export type ObjectShape = {
	readonly required: Readonly<Record<string, FieldCheck>>;
	readonly optional?: Readonly<Record<string, FieldCheck>>;
};

type FieldChecks = ReadonlyArray<readonly [field: string, check: FieldCheck]>;

/**
 * An ObjectShape ready to check objects against, with how messages name such an object ("a
 * deposit request"). Every request and response is checked against one, so the field lists are
 * made once, here, rather than by Object.entries on every call.
 */
export type CheckedShape = {
	readonly what: string;
	readonly required: FieldChecks;
	readonly optional: FieldChecks;
	/** Every field the shape names, required or optional. */
	readonly fields: ReadonlySet<string>;
};

export function checkedShape(shape: ObjectShape, what: string): CheckedShape {
	const required = Object.entries(shape.required);
	const optional = Object.entries(shape.optional ?? {});
	const fields = new Set([...required, ...optional].map(([field]) => field));
	return {what, required, optional, fields};
}

export type ShapeProblem = {readonly field: string; readonly why: string};

export function isPlainObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The first problem of an object against a shape: an unknown field, a missing one, a bad one. */
export function shapeProblem(
	object: Readonly<Record<string, unknown>>,
	shape: CheckedShape,
): ShapeProblem | undefined {
	for (const field of Object.keys(object)) {
		if (!shape.fields.has(field)) {
			return {field, why: `is not a field of ${shape.what}`};
		}
	}

	for (const [field, check] of shape.required) {
		if (!Object.hasOwn(object, field)) {
			return {field, why: `is missing from ${shape.what}`};
		}

		const why = check(object[field]);
		if (why !== undefined) {
			return {field, why};
		}
	}

	for (const [field, check] of shape.optional) {
		if (Object.hasOwn(object, field)) {
			const why = check(object[field]);
			if (why !== undefined) {
				return {field, why};
			}
		}
	}

	return undefined;
}

function wholeNumber(minimum: number, maximum: number, unit: string): FieldCheck {
	return (value) => {
		if (typeof value !== 'number') {
			return `must be a number (${unit}), not ${value === null ? 'null' : typeof value}`;
		}

		if (!Number.isInteger(value)) {
			return `must be a whole number of ${unit}`;
		}

		if (!Number.isSafeInteger(value)) {
			return `must be at most ${Number.MAX_SAFE_INTEGER} (a safe integer)`;
		}

		return value < minimum || value > maximum ? `must be from ${minimum} to ${maximum}` : undefined;
	};
}

function text(rule: (value: string) => string | undefined): FieldCheck {
	return (value) => (typeof value === 'string' ? rule(value) : 'must be a string');
}

/** A correlation id: an unsigned 32-bit integer chosen by the client. */
export const correlationId = wholeNumber(0, 0xff_ff_ff_ff, 'an unsigned 32-bit id');
export const accountName = text(accountNameProblem);
export const loginPassword = text((value) => passwordProblem(value, 'login'));
export const signupPassword = text((value) => passwordProblem(value, 'signup'));
export const requestId = text(requestIdProblem);
const cents = wholeNumber(1, Number.MAX_SAFE_INTEGER, 'cents');
/** A positive amount of cents; the per-operation maximum is the ledger's rule (amount_too_large). */
export const positiveCents: FieldCheck = (value) =>
	typeof value === 'number' && Number.isInteger(value) && value <= 0
		? 'must be greater than zero'
		: cents(value);
export const balanceCents = wholeNumber(0, Number.MAX_SAFE_INTEGER, 'cents');
export const entryId = wholeNumber(1, Number.MAX_SAFE_INTEGER, 'an entry id');
export const historyLimit = wholeNumber(1, HISTORY_MAX_LIMIT, 'entries');
export const anyString = text(() => undefined);
export const isBoolean: FieldCheck = (value) =>
	typeof value === 'boolean' ? undefined : 'must be true or false';
export const isoTime = text((value) =>
	/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z$/u.test(value) && !Number.isNaN(Date.parse(value))
		? undefined
		: 'must be an ISO 8601 UTC time',
);

export function oneOf(values: readonly string[]): FieldCheck {
	return (value) =>
		typeof value === 'string' && values.includes(value)
			? undefined
			: `must be one of ${values.join(', ')}`;
}

export function nullOr(check: FieldCheck): FieldCheck {
	return (value) => (value === null ? undefined : check(value));
}

export function literal(expected: string | boolean): FieldCheck {
	return (value) => (value === expected ? undefined : `must be ${JSON.stringify(expected)}`);
}

export function objectOf(shape: ObjectShape, what: string): FieldCheck {
	const checked = checkedShape(shape, what);
	return (value) => {
		if (!isPlainObject(value)) {
			return `must be ${what}`;
		}

		const problem = shapeProblem(value, checked);
		return problem ? `has a bad field "${problem.field}": ${problem.why}` : undefined;
	};
}

export function arrayOf(check: FieldCheck, maxLength: number): FieldCheck {
	return (value) => {
		if (!Array.isArray(value)) {
			return 'must be an array';
		}

		if (value.length > maxLength) {
			return `must have at most ${maxLength} items`;
		}

		for (const [index, item] of value.entries()) {
			const why = check(item);
			if (why !== undefined) {
				return `item ${index} ${why}`;
			}
		}

		return undefined;
	};
}

export const historyEntry = objectOf(
	{
		required: {
			entryId,
			kind: oneOf(JOURNAL_KINDS),
			amount: positiveCents,
			balanceAfter: balanceCents,
			requestId,
			counterparty: nullOr(accountName),
			time: isoTime,
		},
	},
	'a history entry',
);

export const refusal = objectOf(
	{
		required: {code: oneOf(BANK_ERROR_CODES), message: anyString},
		optional: {
			field: anyString,
			balance: balanceCents,
			amount: wholeNumber(Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, 'cents'),
			limit: balanceCents,
			lockedUntil: isoTime,
			requestId: anyString,
			to: anyString,
		},
	},
	'an error',
);
