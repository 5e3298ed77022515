// Firefox's background page (it has no offscreen documents): the recommender lives here.
import { start } from './background.js';
import { handle } from './engine.js';

start(handle);
