/**
 * Subscribes to the server's activity for as long as the screen is shown, stamping each activity
 * with the time the UI received it, and reduces it with serverViewReducer.
 */
import {useEffect, useReducer} from 'react';
import type {ServerActivity, ServerController} from '../net/api.js';
import {initialServerView, serverViewReducer, type ServerView} from './server-view.js';

type Stamped = {readonly activity: ServerActivity; readonly at: number};

function stampedReducer(view: ServerView, {activity, at}: Stamped): ServerView {
	return serverViewReducer(view, activity, at);
}

export function useServerView(controller: ServerController): ServerView {
	const [view, dispatch] = useReducer(stampedReducer, initialServerView);
	useEffect(
		() =>
			controller.subscribe(
				(activity) => {
					dispatch({activity, at: Date.now()});
				},
				{replay: true},
			),
		[controller],
	);
	return view;
}
