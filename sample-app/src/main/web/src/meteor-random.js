// Meteor's seeded ids, so the page knows the _id of a document before the server has it.
// A method's randomSeed seeds Alea (Johannes Baagøe's generator, as Meteor's `random` package
// runs it) together with a stream name; `/<collection>/insert` draws the new document's _id
// from the stream '/collection/<name>'. Written from ddp-protocol.md Appendix A.

const ID_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
const TWO_TO_MINUS_32 = 2.3283064365386963e-10;

// One Mash state per generator: every seed hashed with it moves it on.
function createMash() {
  let n = 0xefc8249d;
  return function hash(value) {
    const text = String(value);
    for (let i = 0; i < text.length; i++) {
      n += text.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h = (h - n) * n;
      n = h >>> 0;
      n += (h - n) * 0x100000000;
    }
    return (n >>> 0) * TWO_TO_MINUS_32;
  };
}

/** Alea seeded with the given values, in order; returns a function of the next fraction in [0, 1). */
export function alea(seeds) {
  const hash = createMash();
  const state = [hash(' '), hash(' '), hash(' ')];
  for (const seed of seeds) {
    for (let k = 0; k < 3; k++) {
      state[k] -= hash(seed);
      if (state[k] < 0) {
        state[k] += 1;
      }
    }
  }
  let carry = 1;
  return function fraction() {
    const t = 2091639 * state[0] + carry * TWO_TO_MINUS_32;
    state[0] = state[1];
    state[1] = state[2];
    carry = t | 0;
    state[2] = t - carry;
    return state[2];
  };
}

/** A Meteor id (17 characters of the unmistakable alphabet) drawn from a generator. */
export function randomId(fraction, length = 17) {
  let id = '';
  for (let i = 0; i < length; i++) {
    id += ID_ALPHABET.charAt(Math.floor(fraction() * ID_ALPHABET.length));
  }
  return id;
}

/** A fresh randomSeed as Meteor's client sends it: 20 lowercase hex digits, from the browser's CSPRNG. */
export function newRandomSeed() {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The _id the server gives a document inserted through `/<collection>/insert` with this randomSeed. */
export function insertedId(randomSeed, collection) {
  return randomId(alea([randomSeed, `/collection/${collection}`]));
}
