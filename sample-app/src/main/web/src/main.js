// The page: the live todo list of the sample app's `todos` publication, written through the
// collection's mutator methods (/todos/insert, /todos/update, /todos/remove) like a Meteor
// client's collection, the `todos.latest(n)` window, a login, the connection's status and the
// errors the server answers.
import { describeError, isTransport, LiveConnection } from './live-connection.js';
import { insertedId, newRandomSeed } from './meteor-random.js';

const $ = (id) => document.getElementById(id);

// Inserts the server has not answered yet, shown at once under the id the server will give them.
const pendingInserts = new Map();

const view = {
  status(connection) {
    renderStatus(connection);
  },
  data(collection) {
    if (collection === 'todos') {
      renderTodos();
    }
    else if (collection === 'users') {
      renderUser(connection);
    }
  },
  user(conn) {
    renderUser(conn);
  },
  error(text) {
    showError(text);
  },
};

const latestView = {
  status() {
    renderLatest();
  },
  data(collection) {
    if (collection === 'todos') {
      renderLatest();
    }
  },
  ready(id) {
    if (id === latestSubscription) {
      $('latest-list').setAttribute('aria-busy', 'false');
      renderLatest();
    }
  },
  user() {},
  error(text) {
    showError(`Latest: ${text}`);
  },
};

const params = new URLSearchParams(location.search);
const requested = params.get('transport');
const transport = isTransport(requested) ? requested : 'websocket';
const connection = new LiveConnection(transport, view);
connection.subscribe('todos', []);
// The latest-n window has a connection of its own. DDP merges every subscription of a
// connection into one `todos` collection on the client, so next to the full list the window's
// documents could not be told apart; a Meteor app would run the same sort and limit over that
// merged collection, which shows what the client computes. Alone on its connection, the
// subscription holds exactly what the server publishes: the item pushed out of the window is
// the server's `removed`.
const latest = new LiveConnection(transport, latestView);
const connections = [connection, latest];
let latestN = Number($('latest-n').value);
let latestSubscription = latest.subscribe('todos.latest', [latestN]);
// For the browser console (and the browser test): subscribe, call and look at the documents by hand
window.todoPage = { connection, latest };

// --- connection status ---------------------------------------------------------------

function renderStatus(conn) {
  const status = $('status');
  status.dataset.state = conn.status;
  let text;
  switch (conn.status) {
    case 'connected':
      text = `connected (${conn.transportLabel})`;
      break;
    case 'waiting':
      text = `reconnecting in ${Math.max(1, Math.ceil((conn.retryAt - Date.now()) / 1000))} s`;
      break;
    case 'offline':
      text = 'offline';
      break;
    default:
      text = `connecting (${conn.transportLabel})`;
  }
  $('status-text').textContent = text;
  $('reconnect').disabled = conn.status === 'connected';
  $('disconnect').disabled = conn.status === 'offline';
}

// The countdown of a scheduled retry
setInterval(() => {
  if (connection.status === 'waiting') {
    renderStatus(connection);
  }
}, 250);

$('reconnect').addEventListener('click', () => connections.forEach((conn) => conn.reconnect()));
$('disconnect').addEventListener('click', () => connections.forEach((conn) => conn.disconnect()));

for (const radio of document.querySelectorAll('input[name="transport"]')) {
  radio.checked = radio.value === connection.transport;
  radio.addEventListener('change', () => {
    if (radio.checked) {
      connections.forEach((conn) => conn.switchTransport(radio.value));
      const url = new URL(location.href);
      url.searchParams.set('transport', radio.value);
      history.replaceState(null, '', url);
    }
  });
}

// --- todos ---------------------------------------------------------------------------

function renderTodos() {
  const todos = connection.find('todos');
  const ids = new Set(todos.map((todo) => todo._id));
  for (const [id, todo] of pendingInserts) {
    if (!ids.has(id)) {
      todos.push({ ...todo, _id: id, pending: true });
    }
  }
  todos.sort((a, b) => created(a) - created(b) || a._id.localeCompare(b._id));
  const list = $('todo-list');
  list.replaceChildren(...todos.map(renderTodo));
  const open = todos.filter((todo) => !todo.done).length;
  $('todo-count').textContent = `${todos.length} ${todos.length === 1 ? 'item' : 'items'}, ${open} open`;
}

function created(todo) {
  return todo.createdAt?.$date ?? 0;
}

function renderTodo(todo) {
  const item = document.createElement('li');
  item.className = 'todo';
  item.dataset.id = todo._id;
  item.dataset.done = String(Boolean(todo.done));
  item.dataset.pending = String(Boolean(todo.pending));

  const label = document.createElement('label');
  const box = document.createElement('input');
  box.type = 'checkbox';
  box.checked = Boolean(todo.done);
  box.disabled = Boolean(todo.pending);
  box.addEventListener('change', () => toggle(todo));
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = todo.text;
  label.append(box, ' ', text);

  const id = document.createElement('code');
  id.className = 'id';
  id.textContent = todo._id;
  id.title = todo.pending ? 'the id the server will store (saving)' : 'the document id';

  const remove = document.createElement('button');
  remove.type = 'button';
  remove.textContent = 'Remove';
  remove.setAttribute('aria-label', `Remove "${todo.text}"`);
  remove.disabled = Boolean(todo.pending);
  remove.addEventListener('click', () => removeTodo(todo));

  item.append(label, id, remove);
  return item;
}

$('add-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const input = $('new-text');
  const text = input.value.trim();
  input.value = '';
  // The server derives the new _id from the randomSeed as Meteor does: the page computes the
  // same id now and shows the item under it before the server answers.
  const randomSeed = newRandomSeed();
  const id = insertedId(randomSeed, 'todos');
  const doc = { text, done: false, createdAt: { $date: Date.now() } };
  pendingInserts.set(id, doc);
  renderTodos();
  connection.call('/todos/insert', [doc], randomSeed)
    .then((storedId) => {
      if (storedId !== id) {
        showError(`The server stored the new item as ${storedId}, not ${id}`);
      }
    }, (error) => showError(`Adding "${text}" failed: ${describeError(error)}`))
    .finally(() => {
      pendingInserts.delete(id);
      renderTodos();
    });
});

function toggle(todo) {
  connection.call('/todos/update', [{ _id: todo._id }, { $set: { done: !todo.done } }])
    .catch((error) => {
      showError(`Changing "${todo.text}" failed: ${describeError(error)}`);
      renderTodos();
    });
}

function removeTodo(todo) {
  connection.call('/todos/remove', [{ _id: todo._id }])
    .catch((error) => showError(`Removing "${todo.text}" failed: ${describeError(error)}`));
}

// --- latest n --------------------------------------------------------------------------

function renderLatest() {
  // The server sends the window's documents unordered: newest first, as the publication sorts
  const todos = latest.find('todos').sort((a, b) => created(b) - created(a) || b._id.localeCompare(a._id));
  $('latest-list').replaceChildren(...todos.map(renderLatestItem));
  let text = `The newest ${todos.length} of at most ${latestN}.`;
  if (latest.status !== 'connected') {
    text += ` Its connection: ${latest.status === 'waiting' ? 'reconnecting' : latest.status}.`;
  }
  $('latest-count').textContent = text;
}

function renderLatestItem(todo) {
  const item = document.createElement('li');
  item.className = 'latest-item';
  item.dataset.id = todo._id;
  item.dataset.done = String(Boolean(todo.done));
  const text = document.createElement('span');
  text.className = 'text';
  text.textContent = todo.text;
  const time = document.createElement('time');
  const createdAt = new Date(created(todo));
  time.dateTime = createdAt.toISOString();
  time.textContent = createdAt.toLocaleTimeString();
  item.append(text, time);
  return item;
}

function applyLatestN() {
  const input = $('latest-n');
  const n = Number(input.value);
  if (!Number.isInteger(n) || n < 1 || n > 20) {
    showError(`Latest: "${input.value}" is not a number from 1 to 20`);
    input.value = String(latestN);
    return;
  }
  if (n === latestN) {
    return;
  }
  latestN = n;
  // The old window's documents go (the server sends `removed`) before the new one's come
  latest.unsubscribe(latestSubscription);
  $('latest-list').setAttribute('aria-busy', 'true');
  latestSubscription = latest.subscribe('todos.latest', [n]);
  renderLatest();
}

$('latest-n').addEventListener('change', applyLatestN);
$('latest-form').addEventListener('submit', (event) => {
  event.preventDefault();
  applyLatestN();
});

// --- account -------------------------------------------------------------------------

function renderUser(conn) {
  const user = $('user');
  if (conn.userId) {
    // the server publishes the own user document (username, profile) in `users`, live
    const doc = conn.findOne('users', conn.userId);
    const name = doc?.username ?? conn.userId;
    const displayName = doc?.profile?.name;
    user.textContent = displayName ? `Logged in as ${name} (${displayName}).` : `Logged in as ${name}.`;
    user.dataset.user = name;
  }
  else {
    user.textContent = 'Not logged in.';
    user.dataset.user = '';
  }
  $('login-form').hidden = Boolean(conn.userId);
  $('profile-form').hidden = !conn.userId;
  $('logout').hidden = !conn.userId;
}

$('login-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const username = $('username').value.trim();
  const password = $('password').value;
  $('password').value = '';
  connection.loginWithPassword(username, password)
    .catch((error) => showError(`Login as ${username} failed: ${describeError(error)}`));
});

$('profile-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const name = $('display-name').value.trim();
  // the new name comes back in `users`, here and in every other window of this user
  connection.call('setProfile', [name ? { name } : {}])
    .then(() => { $('display-name').value = ''; })
    .catch((error) => showError(`Saving the name failed: ${describeError(error)}`));
});

$('logout').addEventListener('click', () => {
  connection.logout().catch((error) => showError(`Logout failed: ${describeError(error)}`));
});

// --- errors --------------------------------------------------------------------------

function showError(text) {
  const item = document.createElement('li');
  item.textContent = `${new Date().toLocaleTimeString()} ${text}`;
  $('errors').append(item);
  $('no-errors').hidden = true;
}

$('clear-errors').addEventListener('click', () => {
  $('errors').replaceChildren();
  $('no-errors').hidden = false;
});

renderStatus(connection);
renderTodos();
renderLatest();
renderUser(connection);
