/** The compose loader: compose files in, ServiceSpecs out (see README.md). */
export { loadCompose } from './load-compose.js';
export { toServiceSpecs } from './to-service-specs.js';
export { renderConfig } from './render-config.js';
export { parseDotenv, type EnvLookup } from './dotenv.js';
export { interpolateString } from './interpolate.js';
export { shellWords } from './shell-words.js';
export { checkConstraint } from './convert-deploy.js';
export type * from './types.js';
