package io.ddp.spring.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import io.ddp.spring.protocol.MeteorPasswords;
import io.ddp.spring.protocol.MeteorRandom;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.DdpMethodRegistry;
import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.publication.DdpPublicationRegistry;
import io.ddp.spring.server.ratelimit.DdpRateLimiter;
import io.ddp.spring.server.ratelimit.RateLimitMatcher;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Meteor's accounts over DDP: serves the {@code login}, {@code logout},
 * {@code getNewToken}, {@code removeOtherTokens} and {@code createUser} methods with
 * Meteor's results and errors, keeps resume tokens hashed in a
 * {@link DdpLoginTokenStore}, closes the connections of a removed token, and offers the
 * programmatic API to create users, set passwords and issue tokens.
 *
 * <p>
 * Passwords are stored as Meteor stores them: the {@link PasswordEncoder} hash of the
 * lowercase hex SHA-256 digest of the password, so that a Meteor client's digest and a
 * plaintext password check the same way. Logins are tried by the built-in {@code resume}
 * and {@code password} handlers first, then by the {@link DdpLoginHandler handlers} set
 * with {@link #setLoginHandlers(List)}, in order.
 *
 * <p>
 * Thread-safe.
 *
 * @since 0.1.0
 */
public class DdpAccounts {

	/**
	 * The connection attribute holding the hashed token the connection logged in with.
	 */
	public static final String LOGIN_TOKEN_ATTRIBUTE = DdpAccounts.class.getName() + ".hashedLoginToken";

	/**
	 * The connection attribute holding the {@link DdpLoginResult#principal() principal}
	 * of the last login, when its handler gave one.
	 */
	public static final String PRINCIPAL_ATTRIBUTE = DdpAccounts.class.getName() + ".principal";

	/**
	 * The id of the default rate limit rule.
	 */
	public static final String DEFAULT_RATE_LIMIT_RULE = "accounts-default";

	/**
	 * Meteor's default lifetime of a login token: 90 days.
	 */
	public static final Duration DEFAULT_LOGIN_EXPIRATION = Duration.ofDays(90);

	// Meteor's default rule (accounts-base addDefaultRateLimit): these methods, 5 calls
	// per 10 s per connection and method name.
	private static final Set<String> RATE_LIMITED_METHODS = Set.of("login", "createUser", "resetPassword",
			"forgotPassword");

	private final DdpUserStore users;

	private final DdpLoginTokenStore tokens;

	private final PasswordEncoder passwordEncoder;

	private final LoginConnections connections = new LoginConnections();

	private volatile @Nullable DdpLoginHandler passwordHandler;

	private final Runnable tokenListener;

	// each follows its users' updates until close()
	private final List<CurrentUserPublication> userPublications = new CopyOnWriteArrayList<>();

	private volatile List<DdpLoginHandler> loginHandlers = List.of();

	private volatile List<DdpLoginValidator> loginValidators = List.of();

	private volatile @Nullable ApplicationEventPublisher eventPublisher;

	private volatile Duration loginExpiration = DEFAULT_LOGIN_EXPIRATION;

	private volatile boolean clientAccountCreation;

	private volatile boolean ambiguousErrorMessages = true;

	private volatile Clock clock = Clock.systemUTC();

	private volatile @Nullable DdpRateLimiter rateLimiter;

	/**
	 * Create the accounts service.
	 * @param users where users live
	 * @param tokens where hashed resume tokens live
	 * @param passwordEncoder hashes and checks password digests
	 */
	public DdpAccounts(DdpUserStore users, DdpLoginTokenStore tokens, PasswordEncoder passwordEncoder) {
		this.users = Objects.requireNonNull(users, "users must not be null");
		this.tokens = Objects.requireNonNull(tokens, "tokens must not be null");
		this.passwordEncoder = Objects.requireNonNull(passwordEncoder, "passwordEncoder must not be null");
		this.passwordHandler = new PasswordLoginHandler(users, passwordEncoder, () -> this.ambiguousErrorMessages);
		this.tokenListener = tokens.onRemoved(this.connections::tokenRemoved);
	}

	/**
	 * Set the login handlers asked after the built-in {@code resume} and {@code password}
	 * ones (Meteor's {@code Accounts.registerLoginHandler}).
	 * @param loginHandlers the handlers, in order
	 */
	public void setLoginHandlers(List<DdpLoginHandler> loginHandlers) {
		this.loginHandlers = List.copyOf(loginHandlers);
	}

	/**
	 * Replace the built-in {@code password} handler, for example by one that
	 * authenticates through Spring Security's {@code AuthenticationManager}. It is still
	 * asked right after {@code resume}.
	 * @param passwordHandler the handler of password logins, or {@code null} to leave
	 * them to the handlers set with {@link #setLoginHandlers(List)}
	 */
	public void setPasswordLoginHandler(@Nullable DdpLoginHandler passwordHandler) {
		this.passwordHandler = passwordHandler;
	}

	/**
	 * Set the validators every accepted login must pass (Meteor's
	 * {@code Accounts.validateLoginAttempt}).
	 * @param loginValidators the validators
	 */
	public void setLoginValidators(List<DdpLoginValidator> loginValidators) {
		this.loginValidators = List.copyOf(loginValidators);
	}

	/**
	 * Set where {@link DdpLoginEvent}, {@link DdpLoginFailureEvent} and
	 * {@link DdpLogoutEvent} go.
	 * @param eventPublisher the publisher, or {@code null} for no events
	 */
	public void setApplicationEventPublisher(@Nullable ApplicationEventPublisher eventPublisher) {
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set how long a login token is valid after it was issued (Meteor's
	 * {@code loginExpiration}; 90 days by default).
	 * @param loginExpiration the lifetime
	 */
	public void setLoginExpiration(Duration loginExpiration) {
		if (loginExpiration.isNegative() || loginExpiration.isZero()) {
			throw new IllegalArgumentException("The login expiration must be positive, was " + loginExpiration);
		}
		this.loginExpiration = loginExpiration;
	}

	/**
	 * Return how long a login token is valid after it was issued.
	 * @return the lifetime
	 */
	public Duration getLoginExpiration() {
		return this.loginExpiration;
	}

	/**
	 * Set whether clients may create accounts with {@code createUser} (off by default:
	 * 403 {@code Signups forbidden}, Meteor's {@code forbidClientAccountCreation}).
	 * @param clientAccountCreation whether clients may sign up
	 */
	public void setClientAccountCreation(boolean clientAccountCreation) {
		this.clientAccountCreation = clientAccountCreation;
	}

	/**
	 * Return whether clients may create accounts.
	 * @return whether {@code createUser} is open to clients
	 */
	public boolean isClientAccountCreation() {
		return this.clientAccountCreation;
	}

	/**
	 * Set whether a failed password login says only "Something went wrong. Please check
	 * your credentials." (the default, as Meteor's code does), rather than whether the
	 * user exists.
	 * @param ambiguousErrorMessages whether to hide which check failed
	 */
	public void setAmbiguousErrorMessages(boolean ambiguousErrorMessages) {
		this.ambiguousErrorMessages = ambiguousErrorMessages;
	}

	/**
	 * Set the clock tokens are dated and expired by.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		this.clock = Objects.requireNonNull(clock, "clock must not be null");
	}

	/**
	 * Return the user store.
	 * @return the users
	 */
	public DdpUserStore users() {
		return this.users;
	}

	/**
	 * Return the token store.
	 * @return the hashed resume tokens
	 */
	public DdpLoginTokenStore tokens() {
		return this.tokens;
	}

	/**
	 * Register the accounts methods with a server.
	 * @param methods the server's methods
	 * @throws IllegalStateException if the application defines one of them already
	 */
	public void registerMethods(DdpMethodRegistry methods) {
		AccountMethods accountMethods = new AccountMethods(this);
		Map<String, Handler> handlers = new LinkedHashMap<>();
		handlers.put("login", new Handler("login", accountMethods::login));
		handlers.put("logout", new Handler("logout", accountMethods::logout));
		handlers.put("getNewToken", new Handler("getNewToken", accountMethods::getNewToken));
		handlers.put("removeOtherTokens", new Handler("removeOtherTokens", accountMethods::removeOtherTokens));
		handlers.put("createUser", new Handler("createUser", accountMethods::createUser));
		for (String name : handlers.keySet()) {
			DdpMethodHandler existing = methods.find(name);
			if (existing != null) {
				throw new IllegalStateException("The application defines the DDP method '" + name + "' (" + existing
						+ ") that accounts serve; remove or rename it, or set ddp.accounts.enabled=false "
						+ "to answer logins yourself");
			}
		}
		handlers.forEach(methods::register);
	}

	/**
	 * Publish each connection's own user in collection {@code users} (Meteor's universal
	 * publication of {@code username}, {@code emails} and {@code profile}), live: the
	 * updates the user store reports ({@link DdpUserStore#onChanged}) reach the user's
	 * connections as {@code changed}.
	 * @param publications the server's publications
	 */
	public void publishCurrentUser(DdpPublicationRegistry publications) {
		CurrentUserPublication publication = new CurrentUserPublication(this.users);
		this.userPublications.add(publication);
		publications.registerUniversal(publication);
	}

	/**
	 * Add Meteor's default rate limit of accounts: 5 calls of {@code login},
	 * {@code createUser}, {@code resetPassword} and {@code forgotPassword} per 10 seconds
	 * per connection and method name.
	 * @param rateLimiter the server's rate limiter
	 */
	public void addDefaultRateLimit(DdpRateLimiter rateLimiter) {
		rateLimiter.addRule(DEFAULT_RATE_LIMIT_RULE,
				RateLimitMatcher.methods().name(RATE_LIMITED_METHODS::contains).perConnection(), 5,
				Duration.ofSeconds(10));
		this.rateLimiter = rateLimiter;
	}

	/**
	 * Remove the default rate limit (Meteor's {@code Accounts.removeDefaultRateLimit()}).
	 * @return whether it was in place
	 */
	public boolean removeDefaultRateLimit() {
		DdpRateLimiter limiter = this.rateLimiter;
		this.rateLimiter = null;
		return limiter != null && limiter.removeRule(DEFAULT_RATE_LIMIT_RULE);
	}

	/**
	 * Start describing a user to create.
	 * @return the new user's description; call {@link NewUser#create()} at the end
	 */
	public NewUser newUser() {
		return new NewUser();
	}

	/**
	 * Set a user's password. The user's tokens stay valid (Meteor's {@code setPassword}
	 * with {@code logout: false}).
	 * @param userId the user
	 * @param password the new password, in plain text
	 * @throws IllegalArgumentException if there is no such user
	 */
	public void setPassword(String userId, String password) {
		DdpUser user = this.users.findById(userId);
		if (user == null) {
			throw new IllegalArgumentException("No user with id '" + userId + "'");
		}
		this.users.update(new DdpUser(user.id(), user.username(), user.emails(), user.profile(), user.roles(),
				this.passwordEncoder.encode(MeteorPasswords.digest(password)), user.createdAt()));
	}

	/**
	 * Issue a new resume token for a user, as a login does.
	 * @param userId the user
	 * @return the token, to give to a client
	 */
	public String createLoginToken(String userId) {
		return storeNewToken(userId, null);
	}

	/**
	 * Store a known resume token for a user, hashed like any other (for fixtures and
	 * migrations).
	 * @param userId the user
	 * @param token the token a client will present
	 * @return the stored token
	 */
	public DdpLoginToken addLoginToken(String userId, String token) {
		DdpLoginToken stored = new DdpLoginToken(DdpLoginTokenStore.hash(token), userId, now());
		this.tokens.add(stored);
		return stored;
	}

	/**
	 * Remove the tokens older than the login expiration; the connections logged in with
	 * them close.
	 * @return how many tokens were removed
	 */
	public int removeExpiredTokens() {
		return this.tokens.removeCreatedBefore(now().minus(this.loginExpiration));
	}

	/**
	 * Return when a token expires.
	 * @param token the token
	 * @return its creation time plus the login expiration
	 */
	public Instant expiration(DdpLoginToken token) {
		return expiration(token.createdAt());
	}

	/**
	 * Stop closing connections when tokens are removed, and stop following the updates of
	 * users.
	 */
	public void close() {
		this.tokenListener.run();
		this.userPublications.forEach(CurrentUserPublication::close);
	}

	Instant expiration(Instant createdAt) {
		return createdAt.plus(this.loginExpiration);
	}

	Instant now() {
		return this.clock.instant();
	}

	String storeNewToken(String userId, @Nullable Instant createdAt) {
		String token = MeteorRandom.secure().secret();
		this.tokens
			.add(new DdpLoginToken(DdpLoginTokenStore.hash(token), userId, (createdAt != null) ? createdAt : now()));
		return token;
	}

	List<DdpLoginHandler> loginHandlers() {
		List<DdpLoginHandler> handlers = new ArrayList<>(this.loginHandlers.size() + 1);
		DdpLoginHandler password = this.passwordHandler;
		if (password != null) {
			handlers.add(password);
		}
		handlers.addAll(this.loginHandlers);
		return handlers;
	}

	List<DdpLoginValidator> loginValidators() {
		return this.loginValidators;
	}

	LoginConnections connections() {
		return this.connections;
	}

	void publish(Object event) {
		ApplicationEventPublisher publisher = this.eventPublisher;
		if (publisher != null) {
			publisher.publishEvent(event);
		}
	}

	/**
	 * A user to create (Meteor's {@code Accounts.createUser} options, plus an id and
	 * roles).
	 */
	public final class NewUser {

		private @Nullable String id;

		private @Nullable String username;

		private final Set<String> emails = new LinkedHashSet<>();

		private @Nullable String passwordDigest;

		private final Set<String> roles = new LinkedHashSet<>();

		private Map<String, Object> profile = Map.of();

		private NewUser() {
		}

		/**
		 * Set the id; by default a new Meteor id.
		 * @param id the user id
		 * @return this
		 */
		public NewUser id(String id) {
			this.id = id;
			return this;
		}

		/**
		 * Set the username.
		 * @param username the username
		 * @return this
		 */
		public NewUser username(String username) {
			this.username = username;
			return this;
		}

		/**
		 * Add an e-mail address (unverified).
		 * @param email the address
		 * @return this
		 */
		public NewUser email(String email) {
			this.emails.add(email);
			return this;
		}

		/**
		 * Set the password.
		 * @param password the password, in plain text
		 * @return this
		 */
		public NewUser password(String password) {
			return passwordDigest(MeteorPasswords.digest(password));
		}

		/**
		 * Set the password by its digest, as a Meteor client sends it.
		 * @param sha256Hex the lowercase hex SHA-256 of the password
		 * @return this
		 */
		public NewUser passwordDigest(String sha256Hex) {
			this.passwordDigest = sha256Hex;
			return this;
		}

		/**
		 * Add roles, without a {@code ROLE_} prefix.
		 * @param roles the roles
		 * @return this
		 */
		public NewUser roles(String... roles) {
			this.roles.addAll(List.of(roles));
			return this;
		}

		/**
		 * Set the profile, published to the user.
		 * @param profile the profile
		 * @return this
		 */
		public NewUser profile(Map<String, Object> profile) {
			this.profile = Map.copyOf(profile);
			return this;
		}

		/**
		 * Create the user in the user store.
		 * @return the user
		 * @throws DuplicateUserException if the id, the username or an e-mail address is
		 * taken
		 */
		public DdpUser create() {
			String userId = (this.id != null) ? this.id : MeteorRandom.secure().id();
			String hash = (this.passwordDigest != null) ? DdpAccounts.this.passwordEncoder.encode(this.passwordDigest)
					: null;
			DdpUser user = new DdpUser(userId, this.username, List.copyOf(this.emails), this.profile, this.roles, hash,
					now());
			DdpAccounts.this.users.create(user);
			return user;
		}

	}

	private record Handler(String name, Method method) implements DdpMethodHandler {

		@Override
		public Object handle(DdpMethodInvocation invocation, MethodArguments arguments) {
			return this.method.handle(invocation, arguments);
		}

		@Override
		public String toString() {
			return "the accounts method '" + this.name + "' (ddp.accounts.enabled)";
		}

	}

	@FunctionalInterface
	private interface Method {

		Object handle(DdpMethodInvocation invocation, MethodArguments arguments);

	}

}
