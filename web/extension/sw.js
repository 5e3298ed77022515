// Chromium's service worker: the recommender lives in an offscreen document.
import { start } from './background.js';

start(null);
