package io.ddp.spring.client;

import java.time.Duration;

/**
 * How a {@link DdpConnection} retries after losing its transport. The defaults are
 * Meteor's {@code Retry} defaults: the first {@code minCount} attempts after
 * {@code minDelay}, then {@code min(maxDelay, baseDelay * multiplier^count)} with a
 * random factor in {@code [1 - jitter/2, 1 + jitter/2]}.
 *
 * @param enabled whether to retry at all; when not, a lost connection is
 * {@link ConnectionState#FAILED}
 * @param baseDelay the base delay
 * @param multiplier the exponent base
 * @param maxDelay the upper bound of a delay
 * @param minDelay the delay of the first {@code minCount} attempts
 * @param minCount how many attempts use {@code minDelay}
 * @param jitter the fuzz factor (0.5 means plus or minus 25%)
 * @param maxAttempts attempts before giving up ({@link ConnectionState#FAILED}), 0 for no
 * limit
 * @since 0.1.0
 */
public record ReconnectPolicy(boolean enabled, Duration baseDelay, double multiplier, Duration maxDelay,
		Duration minDelay, int minCount, double jitter, int maxAttempts) {

	private static final ReconnectPolicy METEOR = new ReconnectPolicy(true, Duration.ofSeconds(1), 2.2,
			Duration.ofMinutes(5), Duration.ofMillis(10), 2, 0.5, 0);

	/**
	 * Return Meteor's defaults.
	 * @return the defaults
	 */
	public static ReconnectPolicy meteorDefaults() {
		return METEOR;
	}

	/**
	 * Return a policy that never retries.
	 * @return the policy
	 */
	public static ReconnectPolicy none() {
		return new ReconnectPolicy(false, METEOR.baseDelay, METEOR.multiplier, METEOR.maxDelay, METEOR.minDelay,
				METEOR.minCount, METEOR.jitter, 0);
	}

	/**
	 * Return the delay before the attempt that follows {@code retryCount} earlier
	 * attempts.
	 * @param retryCount the attempts so far since the transport was last open
	 * @param random a uniform random number in {@code [0, 1)}
	 * @return the delay
	 */
	public Duration delay(int retryCount, double random) {
		if (retryCount < this.minCount) {
			return this.minDelay;
		}
		double nominal = Math.min(this.maxDelay.toMillis(),
				this.baseDelay.toMillis() * Math.pow(this.multiplier, retryCount));
		double fuzzed = nominal * (1 - this.jitter / 2 + random * this.jitter);
		return Duration.ofMillis(Math.round(fuzzed));
	}

}
