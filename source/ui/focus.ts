/**
 * Moving focus around a ring of stops (Tab / Shift+Tab), like a browser's tab order: panes, and
 * inside the login form each field.
 */

/** The stop `delta` places after `current` (the first stop if `current` is not in the ring). */
export function cycle<T>(stops: readonly T[], current: T, delta: number): T {
	const index = stops.indexOf(current);
	if (stops.length === 0) return current;
	if (index === -1) return stops[0]!;
	return stops[(((index + delta) % stops.length) + stops.length) % stops.length]!;
}
