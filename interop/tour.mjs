// The README's five-minute tour: a stock npm DDP client (simpleddp) talks to the running
// sample app (mvn -pl sample-app -am spring-boot:run). Usage: node interop/tour.mjs [ws-url]
import simpleDDP from 'simpleddp';
import WebSocket from 'ws';

const url = process.argv[2] ?? 'ws://127.0.0.1:3000/websocket';
const server = new simpleDDP({ endpoint: url, SocketConstructor: WebSocket, autoReconnect: false });
try {
  await server.connect();
  console.log(`connected to ${url}`);
  const sub = server.subscribe('todos');
  await sub.ready();
  const todos = server.collection('todos');
  console.log(`subscribed to 'todos': ${todos.fetch().length} documents`);
  const id = await server.call('todos.add', 'Try ddp-spring-boot');
  console.log(`todos.add -> ${id}`);
  await new Promise((resolve) => setTimeout(resolve, 100));
  console.log(`local collection now: ${JSON.stringify(todos.fetch().map((t) => t.text))}`);
  const mirrored = await server.call('todos.mirror');
  console.log(`todos.mirror (the app's own Java client, through @DdpClient("remote")): ${mirrored.length} documents`);
  console.log(`remote.status -> ${JSON.stringify(await server.call('remote.status'))}`);
  try {
    await server.call('todos.add', '   ');
  }
  catch (error) {
    console.log(`todos.add with blank text -> error ${error.error}: ${error.reason}`);
  }
  await sub.stop();
}
finally {
  await server.disconnect();
}
