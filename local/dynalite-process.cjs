// Runs dynalite in its own process so DynamoDB work uses the second core.
// Sends {port} to the parent once listening; exits when the parent goes away.
const dynalite = require('dynalite');
const path = process.env.DYNALITE_PATH || undefined;
const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});
const stop = () => server.close(() => process.exit(0));
process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', () => undefined);
