export * from './enums.js';
export * from './identity.js';
export * from './citizens.js';
export * from './cases.js';
export * from './care.js';
export * from './catalogue.js';
export * from './interventions.js';
export * from './platform.js';
