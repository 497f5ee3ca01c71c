package io.ddp.spring.server.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * What a rate limit rule sees of one request: Meteor's rate limiter event ({@code type},
 * {@code name}, {@code userId}, {@code connectionId}, {@code clientAddress}).
 *
 * @param type a method call or a subscription
 * @param name the method or publication name
 * @param userId the connection's user, {@code null} when nobody is logged in
 * @param connectionId the DDP session id
 * @param clientAddress the client's address, {@code null} when unknown
 * @since 0.1.0
 */
public record RateLimitInput(Type type, String name, @Nullable String userId, String connectionId,
		@Nullable String clientAddress) {

	/**
	 * The kind of request, with Meteor's names.
	 */
	public enum Type {

		/**
		 * A {@code method} message for a registered method.
		 */
		METHOD("method"),

		/**
		 * A {@code sub} message for a registered publication.
		 */
		SUBSCRIPTION("subscription");

		private final String meteorName;

		Type(String meteorName) {
			this.meteorName = meteorName;
		}

		/**
		 * Return the name Meteor's rate limiter uses ({@code method} or
		 * {@code subscription}).
		 * @return the name
		 */
		public String meteorName() {
			return this.meteorName;
		}

	}

}
