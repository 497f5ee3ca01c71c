package io.ddp.spring.protocol;

/**
 * Johannes Baagøe's Alea generator as Meteor's {@code AleaRandomGenerator} implements it,
 * so that seeded streams match the client's bit for bit. All arithmetic is in doubles,
 * with JavaScript's {@code >>> 0} and {@code | 0} emulated. Not thread-safe.
 */
final class AleaRandom extends MeteorRandom {

	private static final double TWO_POW_MINUS_32 = 2.3283064365386963e-10;

	private static final double TWO_POW_32 = 4294967296.0;

	private double s0;

	private double s1;

	private double s2;

	private double c;

	AleaRandom(String[] seeds) {
		Mash mash = new Mash();
		this.s0 = mash.hash(" ");
		this.s1 = mash.hash(" ");
		this.s2 = mash.hash(" ");
		this.c = 1;
		for (String seed : seeds) {
			this.s0 -= mash.hash(seed);
			if (this.s0 < 0) {
				this.s0 += 1;
			}
			this.s1 -= mash.hash(seed);
			if (this.s1 < 0) {
				this.s1 += 1;
			}
			this.s2 -= mash.hash(seed);
			if (this.s2 < 0) {
				this.s2 += 1;
			}
		}
	}

	@Override
	public double fraction() {
		double t = 2091639 * this.s0 + this.c * TWO_POW_MINUS_32;
		this.s0 = this.s1;
		this.s1 = this.s2;
		this.c = JsValues.toInt32(t);
		this.s2 = t - this.c;
		return this.s2;
	}

	/**
	 * Alea's string hash. One instance serves all hashes of one seeding: its state
	 * carries over between calls.
	 */
	private static final class Mash {

		private double n = 4022871197.0;

		double hash(String data) {
			for (int i = 0; i < data.length(); i++) {
				this.n += data.charAt(i);
				double h = 0.02519603282416938 * this.n;
				this.n = JsValues.toUint32(h);
				h -= this.n;
				h *= this.n;
				this.n = JsValues.toUint32(h);
				h -= this.n;
				this.n += h * TWO_POW_32;
			}
			return JsValues.toUint32(this.n) * TWO_POW_MINUS_32;
		}

	}

}
