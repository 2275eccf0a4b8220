/**
 * A scrolled pane's position: the first line shown, kept between 0 and the last useful line.
 */

export type ScrollAction =
	{readonly type: 'scroll'; readonly delta: number; readonly max: number} | {readonly type: 'top'};

export function scrollReducer(top: number, action: ScrollAction): number {
	switch (action.type) {
		case 'scroll': {
			return Math.max(0, Math.min(action.max, top + action.delta));
		}

		case 'top': {
			return 0;
		}
	}
}

/** The lines to show from `top`, clamped so a shrunken list never shows an empty window. */
export function visibleSlice<T>(
	lines: readonly T[],
	top: number,
	height: number,
): {readonly shown: readonly T[]; readonly top: number} {
	const start = Math.max(0, Math.min(top, lines.length - height));
	return {shown: lines.slice(start, start + height), top: start};
}
