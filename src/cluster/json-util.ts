// The pure JSON helpers live with the patch code in the engine; re-exported for the cluster side.
export { asObject, cloneJson, jsonEqual } from '../engine/patch/json-util.js';
