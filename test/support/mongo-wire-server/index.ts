export { startMongoWireServer, type MongoWireServer, type MongoWireServerOptions } from './mongo-wire-server';
export { FaultPlan, seededRandom, type Fault, type FaultKind, type RandomFaultOptions } from './fault-plan';
export { DocumentStore } from './document-store';
