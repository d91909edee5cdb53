import { createGateway } from './gateway.server';
import { gatewayConfigFromEnv } from './gateway.config';

const config = gatewayConfigFromEnv();
const server = createGateway(config);
server.listen(config.port, config.host, () => {
  process.stdout.write(`${JSON.stringify({ level: 'info', msg: 'gateway listening', port: config.port, devSignIn: config.devSignIn, webRoot: config.webRoot })}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
