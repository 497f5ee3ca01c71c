// Meteor's seeded random generator (Alea, packages/random/AleaRandomGenerator.js), written from
// ddp-protocol.md Appendix A, so tests can compute the ids a server derives from a method's
// randomSeed (e.g. the `_id` of `/todos/insert` = Alea([randomSeed, '/collection/todos']).id()).
// Checked against the appendix's test vectors in publications.test.mjs.

const UNMISTAKABLE = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
const BASE64 = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_';
const HEX = '0123456789abcdef';

function mash() {
  let n = 0xefc8249d;
  return (data) => {
    const s = String(data);
    for (let i = 0; i < s.length; i++) {
      n += s.charCodeAt(i);
      let h = 0.02519603282416938 * n;
      n = h >>> 0;
      h -= n;
      h *= n;
      n = h >>> 0;
      h -= n;
      n += h * 0x100000000; // 2^32
    }
    return (n >>> 0) * 2.3283064365386963e-10; // 2^-32
  };
}

/** Alea seeded with `seeds` (in order). Returns {fraction(), choice(alphabet), id(n), secret(n), hexString(n)}. */
export function alea(seeds) {
  const m = mash();
  let s0 = m(' ');
  let s1 = m(' ');
  let s2 = m(' ');
  let c = 1;
  for (const seed of seeds) {
    s0 -= m(seed); if (s0 < 0) s0 += 1;
    s1 -= m(seed); if (s1 < 0) s1 += 1;
    s2 -= m(seed); if (s2 < 0) s2 += 1;
  }
  const fraction = () => {
    const t = 2091639 * s0 + c * 2.3283064365386963e-10;
    s0 = s1;
    s1 = s2;
    c = t | 0;
    s2 = t - c;
    return s2;
  };
  const str = (n, alphabet) => {
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(fraction() * alphabet.length)];
    return out;
  };
  return {
    fraction,
    id: (n = 17) => str(n, UNMISTAKABLE),
    secret: (n = 43) => str(n, BASE64),
    hexString: (n) => str(n, HEX),
  };
}

/** The id Meteor derives for a document inserted through `/<collection>/insert` without an `_id`. */
export const meteorInsertId = (randomSeed, collection) => alea([randomSeed, `/collection/${collection}`]).id();
