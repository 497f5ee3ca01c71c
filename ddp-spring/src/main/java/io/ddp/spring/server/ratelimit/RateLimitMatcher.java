package io.ddp.spring.server.ratelimit;

import java.util.Objects;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

/**
 * Which requests a rate limit rule counts, and how it groups them: Meteor's rule matcher.
 * Each of the five keys of a {@link RateLimitInput} is either ignored (the default), a
 * literal the request's value must equal, or a predicate it must satisfy. A request
 * matches when every key that is not ignored matches. Requests are counted per
 * combination of the values of those keys, so a predicate that accepts everything
 * ({@link #perConnection()}, {@link #perUser()}, {@link #perClientAddress()}) gives each
 * value its own count, as Meteor's {@code connectionId: () => true} does.
 * <p>
 * Instances are immutable; each method returns a new matcher.
 *
 * @since 0.1.0
 */
public final class RateLimitMatcher {

	private static final RateLimitMatcher ANY = new RateLimitMatcher(null, null, null, null, null);

	private final RateLimitInput.@Nullable Type type;

	private final @Nullable Key name;

	private final @Nullable Key userId;

	private final @Nullable Key connectionId;

	private final @Nullable Key clientAddress;

	private RateLimitMatcher(RateLimitInput.@Nullable Type type, @Nullable Key name, @Nullable Key userId,
			@Nullable Key connectionId, @Nullable Key clientAddress) {
		this.type = type;
		this.name = name;
		this.userId = userId;
		this.connectionId = connectionId;
		this.clientAddress = clientAddress;
	}

	/**
	 * Return a matcher that matches every request and counts them all together.
	 * @return the matcher
	 */
	public static RateLimitMatcher any() {
		return ANY;
	}

	/**
	 * Return a matcher of method calls.
	 * @return the matcher
	 */
	public static RateLimitMatcher methods() {
		return ANY.type(RateLimitInput.Type.METHOD);
	}

	/**
	 * Return a matcher of subscriptions.
	 * @return the matcher
	 */
	public static RateLimitMatcher subscriptions() {
		return ANY.type(RateLimitInput.Type.SUBSCRIPTION);
	}

	/**
	 * Match only requests of this type.
	 * @param type the type
	 * @return a new matcher
	 */
	public RateLimitMatcher type(RateLimitInput.Type type) {
		return new RateLimitMatcher(type, this.name, this.userId, this.connectionId, this.clientAddress);
	}

	/**
	 * Match only this method or publication name.
	 * @param name the name
	 * @return a new matcher
	 */
	public RateLimitMatcher name(String name) {
		return withName(Key.literal("name", name));
	}

	/**
	 * Match the method or publication names a predicate accepts.
	 * @param name the predicate
	 * @return a new matcher
	 */
	public RateLimitMatcher name(Predicate<String> name) {
		return withName(Key.nonNull("name", name));
	}

	/**
	 * Match only requests of this user.
	 * @param userId the user id
	 * @return a new matcher
	 */
	public RateLimitMatcher userId(String userId) {
		return new RateLimitMatcher(this.type, this.name, Key.literal("userId", userId), this.connectionId,
				this.clientAddress);
	}

	/**
	 * Match the user ids a predicate accepts ({@code null} for nobody logged in).
	 * @param userId the predicate
	 * @return a new matcher
	 */
	public RateLimitMatcher userId(Predicate<@Nullable String> userId) {
		return new RateLimitMatcher(this.type, this.name, Key.predicate("userId", userId), this.connectionId,
				this.clientAddress);
	}

	/**
	 * Match only requests of this connection (DDP session id).
	 * @param connectionId the session id
	 * @return a new matcher
	 */
	public RateLimitMatcher connectionId(String connectionId) {
		return new RateLimitMatcher(this.type, this.name, this.userId, Key.literal("connectionId", connectionId),
				this.clientAddress);
	}

	/**
	 * Match the connection ids a predicate accepts.
	 * @param connectionId the predicate
	 * @return a new matcher
	 */
	public RateLimitMatcher connectionId(Predicate<String> connectionId) {
		return new RateLimitMatcher(this.type, this.name, this.userId, Key.nonNull("connectionId", connectionId),
				this.clientAddress);
	}

	/**
	 * Match only requests from this client address.
	 * @param clientAddress the address
	 * @return a new matcher
	 */
	public RateLimitMatcher clientAddress(String clientAddress) {
		return new RateLimitMatcher(this.type, this.name, this.userId, this.connectionId,
				Key.literal("clientAddress", clientAddress));
	}

	/**
	 * Match the client addresses a predicate accepts ({@code null} when unknown).
	 * @param clientAddress the predicate
	 * @return a new matcher
	 */
	public RateLimitMatcher clientAddress(Predicate<@Nullable String> clientAddress) {
		return new RateLimitMatcher(this.type, this.name, this.userId, this.connectionId,
				Key.predicate("clientAddress", clientAddress));
	}

	/**
	 * Count each connection on its own (Meteor's {@code connectionId: () => true}).
	 * @return a new matcher
	 */
	public RateLimitMatcher perConnection() {
		return connectionId((String id) -> true);
	}

	/**
	 * Count each user on its own, anonymous requests together.
	 * @return a new matcher
	 */
	public RateLimitMatcher perUser() {
		return userId((@Nullable String id) -> true);
	}

	/**
	 * Count each client address on its own.
	 * @return a new matcher
	 */
	public RateLimitMatcher perClientAddress() {
		return clientAddress((@Nullable String address) -> true);
	}

	private RateLimitMatcher withName(Key name) {
		return new RateLimitMatcher(this.type, name, this.userId, this.connectionId, this.clientAddress);
	}

	/**
	 * Return whether a request is one this matcher counts.
	 * @param input the request
	 * @return whether every key that is not ignored matches
	 */
	public boolean matches(RateLimitInput input) {
		return (this.type == null || this.type == input.type()) && matches(this.name, input.name())
				&& matches(this.userId, input.userId()) && matches(this.connectionId, input.connectionId())
				&& matches(this.clientAddress, input.clientAddress());
	}

	private static boolean matches(@Nullable Key key, @Nullable String value) {
		return key == null || key.test(value);
	}

	/**
	 * Return the key of the count a matching request adds to: every key that is not
	 * ignored, with the request's value.
	 * @param input a request this matcher matches
	 * @return the count's key
	 */
	String bucket(RateLimitInput input) {
		StringBuilder bucket = new StringBuilder(64);
		if (this.type != null) {
			bucket.append("type").append(input.type().meteorName());
		}
		append(bucket, this.name, input.name());
		append(bucket, this.userId, input.userId());
		append(bucket, this.connectionId, input.connectionId());
		append(bucket, this.clientAddress, input.clientAddress());
		return bucket.toString();
	}

	private static void append(StringBuilder bucket, @Nullable Key key, @Nullable String value) {
		if (key != null) {
			// The length keeps "ab"+"c" and "a"+"bc" apart.
			String text = String.valueOf(value);
			bucket.append(key.name).append(text.length()).append(':').append(text);
		}
	}

	@Override
	public String toString() {
		StringBuilder text = new StringBuilder("{");
		if (this.type != null) {
			text.append("type=").append(this.type.meteorName());
		}
		for (Key key : new @Nullable Key[] { this.name, this.userId, this.connectionId, this.clientAddress }) {
			if (key != null) {
				text.append((text.length() > 1) ? ", " : "").append(key);
			}
		}
		return text.append('}').toString();
	}

	private static final class Key {

		private final String name;

		private final @Nullable String literal;

		private final @Nullable Predicate<@Nullable String> predicate;

		private Key(String name, @Nullable String literal, @Nullable Predicate<@Nullable String> predicate) {
			this.name = name;
			this.literal = literal;
			this.predicate = predicate;
		}

		static Key literal(String name, String value) {
			return new Key(name, Objects.requireNonNull(value, () -> name + " must not be null"), null);
		}

		static Key predicate(String name, Predicate<@Nullable String> predicate) {
			Objects.requireNonNull(predicate, () -> name + " predicate must not be null");
			return new Key(name, null, predicate);
		}

		// For keys a request always has (name, connection id).
		static Key nonNull(String name, Predicate<String> predicate) {
			Objects.requireNonNull(predicate, () -> name + " predicate must not be null");
			return new Key(name, null, (value) -> value != null && predicate.test(value));
		}

		boolean test(@Nullable String value) {
			if (this.predicate != null) {
				return this.predicate.test(value);
			}
			return Objects.equals(this.literal, value);
		}

		@Override
		public String toString() {
			return this.name + "=" + ((this.predicate != null) ? "(predicate)" : "'" + this.literal + "'");
		}

	}

}
