/**
 * Amounts as people type them (parseAmount, validatePartialAmount) and as they are shown
 * (formatCents).
 */

import fc from 'fast-check';
import {describe, expect, it} from 'vitest';
import {
	formatCents,
	MAX_AMOUNT_CENTS,
	parseAmount,
	validatePartialAmount,
} from '../../source/bank/money.js';

describe('parseAmount accepts amounts as typed', () => {
	it.each([
		['12', 1200],
		['12.3', 1230],
		['12.34', 1234],
		['1,234.56', 123_456],
		['1,234', 123_400],
		['123,456', 12_345_600],
		['  7.5  ', 750],
		['\t3\n', 300],
		['0.01', 1],
		['0.5', 50],
		['007', 700],
		['1000000', MAX_AMOUNT_CENTS],
		['1,000,000.00', MAX_AMOUNT_CENTS],
	])('%j is %i cents', (text, cents) => {
		expect(parseAmount(text)).toEqual({ok: true, cents});
	});
});

describe('parseAmount refuses, naming the rule', () => {
	it.each([
		['-5', 'not_positive', 'must be greater than zero'],
		['-0.01', 'not_positive', 'must be greater than zero'],
		['0', 'not_positive', 'must be greater than zero'],
		['0.00', 'not_positive', 'must be greater than zero'],
		['1e3', 'exponent', 'no exponents: write the amount in full, for example 1000'],
		['2.5E2', 'exponent', 'no exponents: write the amount in full, for example 1000'],
		['12.345', 'decimals', 'at most two digits after the decimal point'],
		['0.001', 'decimals', 'at most two digits after the decimal point'],
		['abc', 'not_a_number', 'not an amount: use digits, for example 12.34'],
		['+5', 'not_a_number', 'not an amount: use digits, for example 12.34'],
		['1 000', 'not_a_number', 'not an amount: use digits, for example 12.34'],
		['12$', 'not_a_number', 'not an amount: use digits, for example 12.34'],
		['', 'empty', 'enter an amount'],
		['   ', 'empty', 'enter an amount'],
		[
			'1,23',
			'grouping',
			'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
		],
		[
			'1234,567',
			'grouping',
			'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
		],
		[
			',123',
			'grouping',
			'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
		],
		[
			'1.234,56',
			'grouping',
			'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
		],
		['12.', 'decimal_point', 'a decimal point needs digits on both sides, for example 0.50'],
		['.5', 'decimal_point', 'a decimal point needs digits on both sides, for example 0.50'],
		['1.2.3', 'decimal_point', 'a decimal point needs digits on both sides, for example 0.50'],
		['1000000.01', 'too_large', 'at most 1,000,000.00 per operation'],
		['1,000,001', 'too_large', 'at most 1,000,000.00 per operation'],
		['99999999999999999999999999', 'too_large', 'at most 1,000,000.00 per operation'],
	])('%j: %s', (text, rule, error) => {
		expect(parseAmount(text)).toEqual({ok: false, rule, error});
	});

	it('states a maximum given by the caller', () => {
		expect(parseAmount('50.01', {maxCents: 5000})).toEqual({
			ok: false,
			rule: 'too_large',
			error: 'at most 50.00 per operation',
		});
		expect(parseAmount('50', {maxCents: 5000})).toEqual({ok: true, cents: 5000});
	});

	it('reads back every amount formatCents writes, with and without separators', () => {
		fc.assert(
			fc.property(fc.integer({min: 1, max: MAX_AMOUNT_CENTS}), (cents) => {
				const formatted = formatCents(cents);
				expect(parseAmount(formatted)).toEqual({ok: true, cents});
				expect(parseAmount(formatted.replaceAll(',', ''))).toEqual({ok: true, cents});
			}),
			{numRuns: 300},
		);
	});

	it('never yields anything but whole cents within the limit, whatever is typed', () => {
		fc.assert(
			fc.property(
				fc.oneof(fc.string(), fc.stringMatching(/^[\d.,e -]{0,12}$/u), fc.double().map(String)),
				(text) => {
					const parsed = parseAmount(text);
					if (parsed.ok) {
						expect(Number.isSafeInteger(parsed.cents)).toBe(true);
						expect(parsed.cents).toBeGreaterThan(0);
						expect(parsed.cents).toBeLessThanOrEqual(MAX_AMOUNT_CENTS);
					} else {
						expect(parsed.error.length).toBeGreaterThan(0);
					}
				},
			),
			{numRuns: 500},
		);
	});
});

describe('validatePartialAmount judges what is typed so far', () => {
	it.each([
		['', {status: 'empty'}],
		['1', {status: 'complete', cents: 100}],
		['1,', {status: 'incomplete', hint: 'thousands separators are followed by three digits'}],
		['1,2', {status: 'incomplete', hint: 'thousands separators are followed by three digits'}],
		['1,23', {status: 'incomplete', hint: 'thousands separators are followed by three digits'}],
		['1,234', {status: 'complete', cents: 123_400}],
		['1,234.', {status: 'incomplete', hint: 'type the cents after the decimal point'}],
		['12.3', {status: 'complete', cents: 1230}],
		['0', {status: 'incomplete', hint: 'must be greater than zero'}],
		['0.0', {status: 'incomplete', hint: 'must be greater than zero'}],
		['0.00', {status: 'invalid', rule: 'not_positive', error: 'must be greater than zero'}],
		['-', {status: 'invalid', rule: 'not_positive', error: 'must be greater than zero'}],
		[
			'12.345',
			{status: 'invalid', rule: 'decimals', error: 'at most two digits after the decimal point'},
		],
		[
			'1e',
			{
				status: 'invalid',
				rule: 'exponent',
				error: 'no exponents: write the amount in full, for example 1000',
			},
		],
		[
			'x',
			{
				status: 'invalid',
				rule: 'not_a_number',
				error: 'not an amount: use digits, for example 12.34',
			},
		],
		[
			'1,2345',
			{
				status: 'invalid',
				rule: 'grouping',
				error: 'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
			},
		],
		[
			'1,23.',
			{
				status: 'invalid',
				rule: 'grouping',
				error: 'thousands separators must split the whole part into groups of three, e.g. 1,234.56',
			},
		],
		[
			'.',
			{
				status: 'invalid',
				rule: 'decimal_point',
				error: 'a decimal point needs digits on both sides, for example 0.50',
			},
		],
		[
			'2,000,00',
			{status: 'invalid', rule: 'too_large', error: 'at most 1,000,000.00 per operation'},
		],
		[
			'1000001',
			{status: 'invalid', rule: 'too_large', error: 'at most 1,000,000.00 per operation'},
		],
	])('%j', (text, expected) => {
		expect(validatePartialAmount(text)).toEqual(expected);
	});

	it('never calls a prefix of a valid amount invalid, and agrees with parseAmount on the whole', () => {
		fc.assert(
			fc.property(fc.integer({min: 1, max: MAX_AMOUNT_CENTS}), fc.boolean(), (cents, grouped) => {
				const formatted = grouped ? formatCents(cents) : formatCents(cents).replaceAll(',', '');
				for (let length = 1; length < formatted.length; length++) {
					const prefix = formatted.slice(0, length);
					expect(['complete', 'incomplete']).toContain(validatePartialAmount(prefix).status);
				}

				expect(validatePartialAmount(formatted)).toEqual({status: 'complete', cents});
			}),
			{numRuns: 200},
		);
	});
});

describe('formatCents', () => {
	it.each([
		[0, '0.00'],
		[5, '0.05'],
		[50, '0.50'],
		[100, '1.00'],
		[123_456, '1,234.56'],
		[-123_456, '-1,234.56'],
		[-5, '-0.05'],
		[99_999, '999.99'],
		[100_000, '1,000.00'],
		[MAX_AMOUNT_CENTS, '1,000,000.00'],
		[Number.MAX_SAFE_INTEGER, '90,071,992,547,409.91'],
	])('%i cents is %s', (cents, text) => {
		expect(formatCents(cents)).toBe(text);
	});

	it('refuses anything but a safe integer', () => {
		expect(() => formatCents(1.5)).toThrow(RangeError);
		expect(() => formatCents(Number.NaN)).toThrow(RangeError);
		expect(() => formatCents(2 ** 53)).toThrow(RangeError);
	});
});
