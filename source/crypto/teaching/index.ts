/**
 * INSECURE: for teaching only. The teaching suite and the attack lab, nothing else.
 *
 * Hand-written textbook RSA, S-DES and the seed coursework's "semantic" SHA-1 signature, working and
 * correct, so that the lab can show how each one breaks. The real suites use ../primitives.ts.
 * Anything imported from here must be labelled INSECURE wherever a user can see it.
 */
export * as textbookRsa from './textbook-rsa.js';
export * as sdes from './sdes.js';
export * as semanticSignature from './semantic-signature.js';
export * as numberTheory from './number-theory.js';
export {TeachingInputError} from './errors.js';
export type {
	RecoveryResult,
	TextbookRsaExponent,
	TextbookRsaPrivateKey,
	TextbookRsaPublicKey,
} from './textbook-rsa.js';
export type {KnownBlock, SdesKey, SdesSubkeys} from './sdes.js';
