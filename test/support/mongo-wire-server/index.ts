export { startMongoWireServer, type MongoWireServer, type MongoWireServerOptions } from './mongo-wire-server';
export { seededRandom, type Fault } from './fault-plan';
