/**
 * Money as people type it and as the ledger keeps it: integer cents, never a float.
 *
 * An amount is typed as digits with an optional decimal point and at most two digits after it;
 * thousands separators (",") are allowed before the decimal point, but only between complete groups
 * of three digits ("1,234.56", never "1,23"). Signs, exponents and anything else are refused with a
 * message naming the broken rule, so the UI can show it as is.
 *
 * Limits: one operation moves at most MAX_AMOUNT_CENTS (1,000,000.00); a balance never passes
 * MAX_BALANCE_CENTS (Number.MAX_SAFE_INTEGER cents), the largest integer a JSON number and a JS
 * number both carry exactly.
 */

/** The most one deposit, withdrawal or transfer may move: 1,000,000.00. */
export const MAX_AMOUNT_CENTS = 1_000_000_00;

/** The most a balance may hold: beyond it cents would no longer be exact integers in JS or JSON. */
export const MAX_BALANCE_CENTS = Number.MAX_SAFE_INTEGER;

/** Which rule a typed amount broke; stable names the UI may key on. */
export type AmountRule =
	| 'empty'
	| 'not_a_number'
	| 'not_positive'
	| 'exponent'
	| 'decimal_point'
	| 'decimals'
	| 'grouping'
	| 'too_large';

export type AmountProblem = {readonly ok: false; readonly rule: AmountRule; readonly error: string};

export type ParsedAmount = {readonly ok: true; readonly cents: number} | AmountProblem;

export type AmountOptions = {
	/** The largest amount accepted, in cents; MAX_AMOUNT_CENTS unless told. */
	readonly maxCents?: number;
};

const amountMessages: Readonly<Record<Exclude<AmountRule, 'too_large'>, string>> = {
	empty: 'enter an amount',
	not_a_number: 'not an amount: use digits, for example 12.34',
	not_positive: 'must be greater than zero',
	exponent: 'no exponents: write the amount in full, for example 1000',
	decimal_point: 'a decimal point needs digits on both sides, for example 0.50',
	decimals: 'at most two digits after the decimal point',
	grouping: 'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
};

function problem(rule: AmountRule, maxCents: number): AmountProblem {
	const error =
		rule === 'too_large' ? `at most ${formatCents(maxCents)} per operation` : amountMessages[rule];
	return {ok: false, rule, error};
}

/** The characters that may appear in an amount at all. */
const amountCharacters = /^[\d.,]+$/u;
/** Digits (with separators or a point) then an exponent: "1e3", "2.5E-1". */
const exponentForm = /^[\d.,]*\d[\d.,]*[eE][+-]?\d*$/u;
/** The whole part with thousands separators: 1 to 3 digits, then groups of exactly three. */
const groupedWholePart = /^\d{1,3}(?:,\d{3})+$/u;

/**
 * Reads an amount as typed ("12", "12.3", "1,234.56", spaces around allowed) into cents.
 * Refuses zero, signs, exponents, more than two decimals, bad grouping and amounts over the maximum.
 */
export function parseAmount(text: string, options: AmountOptions = {}): ParsedAmount {
	const maxCents = options.maxCents ?? MAX_AMOUNT_CENTS;
	const amount = text.trim();
	if (amount === '') {
		return problem('empty', maxCents);
	}

	if (amount.startsWith('-') || amount.startsWith('\u2212')) {
		return problem('not_positive', maxCents);
	}

	if (exponentForm.test(amount)) {
		return problem('exponent', maxCents);
	}

	if (!amountCharacters.test(amount)) {
		return problem('not_a_number', maxCents);
	}

	const parts = amount.split('.');
	if (parts.length > 2) {
		return problem('decimal_point', maxCents);
	}

	const [wholePart = '', fraction] = parts;
	if (fraction !== undefined) {
		if (fraction.includes(',')) {
			return problem('grouping', maxCents);
		}

		if (wholePart === '' || fraction === '') {
			return problem('decimal_point', maxCents);
		}

		if (fraction.length > 2) {
			return problem('decimals', maxCents);
		}
	}

	if (wholePart.includes(',') && !groupedWholePart.test(wholePart)) {
		return problem('grouping', maxCents);
	}

	// BigInt so that a long run of digits is compared exactly, not rounded to a float first.
	const cents =
		BigInt(wholePart.replaceAll(',', '')) * 100n + BigInt((fraction ?? '').padEnd(2, '0'));
	if (cents === 0n) {
		return problem('not_positive', maxCents);
	}

	if (cents > BigInt(maxCents)) {
		return problem('too_large', maxCents);
	}

	return {ok: true, cents: Number(cents)};
}

/** What the text typed so far amounts to, for validating as the user types. */
export type PartialAmount =
	| {readonly status: 'empty'}
	/** A valid amount as it stands (typing more may still keep it valid). */
	| {readonly status: 'complete'; readonly cents: number}
	/** Not an amount yet, but typing more can make it one; `hint` says what is missing. */
	| {readonly status: 'incomplete'; readonly hint: string}
	/** No continuation can make it valid: the rule is already broken. */
	| {readonly status: 'invalid'; readonly rule: AmountRule; readonly error: string};

/**
 * Judges a prefix of an amount: "1," and "12." are incomplete (more typing can fix them),
 * "12.345" and "1,2345" are invalid (no more typing can), "12.3" is complete.
 */
export function validatePartialAmount(text: string, options: AmountOptions = {}): PartialAmount {
	const maxCents = options.maxCents ?? MAX_AMOUNT_CENTS;
	const amount = text.trim();
	if (amount === '') {
		return {status: 'empty'};
	}

	const parsed = parseAmount(amount, options);
	if (parsed.ok) {
		return {status: 'complete', cents: parsed.cents};
	}

	const invalid = (rule: AmountRule): PartialAmount => {
		const {error} = problem(rule, maxCents);
		return {status: 'invalid', rule, error};
	};

	// Rules that no further typing can repair: report exactly what parseAmount reported.
	if (
		parsed.rule !== 'decimal_point' &&
		parsed.rule !== 'grouping' &&
		parsed.rule !== 'not_positive'
	) {
		return invalid(parsed.rule);
	}

	if (amount.startsWith('-') || amount.startsWith('\u2212')) {
		return invalid('not_positive');
	}

	const parts = amount.split('.');
	if (parts.length > 2) {
		return invalid('decimal_point');
	}

	const [wholePart = '', fraction] = parts;
	if (wholePart === '') {
		return invalid('decimal_point');
	}

	if (fraction?.includes(',')) {
		return invalid('grouping');
	}

	const groups = wholePart.split(',');
	const [firstGroup = ''] = groups;
	const lastGroup = groups.at(-1) ?? '';
	const middleGroups = groups.slice(1, -1);
	const groupingOpen = groups.length > 1 && lastGroup.length < 3;
	if (
		groups.length > 1 &&
		(firstGroup.length === 0 ||
			firstGroup.length > 3 ||
			middleGroups.some((group) => group.length !== 3) ||
			lastGroup.length > 3 ||
			// Once the decimal point is typed, the last group can no longer grow to three digits.
			(groupingOpen && fraction !== undefined))
	) {
		return invalid('grouping');
	}

	// The smallest value any continuation can reach: an open group grows to three digits.
	const wholeDigits =
		groups.slice(0, -1).join('') + lastGroup.padEnd(groups.length > 1 ? 3 : 0, '0');
	const lowestCents = BigInt(wholeDigits) * 100n + BigInt((fraction ?? '').padEnd(2, '0'));
	if (lowestCents > BigInt(maxCents)) {
		return invalid('too_large');
	}

	if (groupingOpen) {
		return {status: 'incomplete', hint: 'thousands separators are followed by three digits'};
	}

	if (fraction === '') {
		return {status: 'incomplete', hint: 'type the cents after the decimal point'};
	}

	if (lowestCents === 0n) {
		// "0", "0." or "0.0" may still become "0.05"; "0.00" cannot.
		return fraction?.length === 2
			? invalid('not_positive')
			: {status: 'incomplete', hint: 'must be greater than zero'};
	}

	// Every case parseAmount refuses is handled above; this is a guard, not a path.
	return invalid(parsed.rule);
}

/** Cents as people read them: 123456 -> "1,234.56", -5 -> "-0.05". */
export function formatCents(cents: number): string {
	if (!Number.isSafeInteger(cents)) {
		throw new RangeError(`formatCents: ${cents} is not a safe integer number of cents`);
	}

	const sign = cents < 0 ? '-' : '';
	const magnitude = Math.abs(cents);
	const whole = Math.floor(magnitude / 100)
		.toString()
		.replaceAll(/\B(?=(?:\d{3})+$)/gu, ',');
	const fraction = (magnitude % 100).toString().padStart(2, '0');
	return `${sign}${whole}.${fraction}`;
}
