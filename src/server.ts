export * from './api/index.js';
export * from './proxy/index.js';
