/**
 * The one error class of the teaching suite: a caller passed a value outside what a primitive
 * accepts (a message not below n, a 9-bit S-DES block, a malformed key encoding).
 *
 * INSECURE: for teaching only. Nothing in ./teaching/ may protect real data.
 */
export class TeachingInputError extends Error {
	override readonly name = 'TeachingInputError';
}
