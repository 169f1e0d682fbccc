// Echo server for telltale's WebSocket tests:
//   node server.js <deflate: on|off|no-context|server-no-context>
// Listens on 127.0.0.1 at a free port, prints "PORT <n>" on stdout once listening, echoes every
// message with its type, answers a close frame with the same code, and exits when stdin closes
// (so it never outlives the test that started it).
'use strict';
const { WebSocketServer } = require('ws');

const mode = process.argv[2] || 'off';
const perMessageDeflate = mode === 'off' ? false : {
  threshold: 0,
  serverNoContextTakeover: mode === 'no-context' || mode === 'server-no-context',
  clientNoContextTakeover: mode === 'no-context',
};

const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate, maxPayload: 64 * 1024 * 1024 });
wss.on('connection', (socket, request) => {
  socket.on('message', (data, isBinary) => {
    socket.send(data, { binary: isBinary, compress: mode !== 'off' });
  });
  socket.on('close', () => {});
  socket.on('error', () => {});
  const extensions = request.headers['sec-websocket-extensions'] || '';
  socket.send('hello from ws; extensions offered: ' + extensions);
});
wss.on('listening', () => {
  process.stdout.write('PORT ' + wss.address().port + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
