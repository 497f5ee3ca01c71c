package io.ddp.spring.accounts;

import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

/**
 * Where user accounts live. The default keeps them in memory; declare a bean of this type
 * to keep them elsewhere.
 *
 * <p>
 * A store that reports its updates to the listeners of {@link #onChanged(Consumer)} keeps
 * the user's document that a client sees in collection {@code users} live, as Meteor's
 * is; with one that does not, a change shows at the user's next login. Implementations
 * must be thread-safe.
 *
 * @since 0.1.0
 */
public interface DdpUserStore {

	/**
	 * Return the user with the given id.
	 * @param id the user id
	 * @return the user, or {@code null} if there is none
	 */
	@Nullable DdpUser findById(String id);

	/**
	 * Return the user with the given username: an exact match, else the only user whose
	 * username matches ignoring case (Meteor's lookup).
	 * @param username the username
	 * @return the user, or {@code null} if there is none or the match is ambiguous
	 */
	@Nullable DdpUser findByUsername(String username);

	/**
	 * Return the user with the given e-mail address, matched like a username.
	 * @param email the e-mail address
	 * @return the user, or {@code null} if there is none or the match is ambiguous
	 */
	@Nullable DdpUser findByEmail(String email);

	/**
	 * Store a new user.
	 * @param user the user
	 * @throws DuplicateUserException if the id, the username or an e-mail address is
	 * already taken (ignoring case)
	 */
	void create(DdpUser user);

	/**
	 * Replace a stored user, found by id.
	 * @param user the new state
	 * @throws IllegalArgumentException if no user has that id
	 */
	void update(DdpUser user);

	/**
	 * Be told of every user updated from now on, whoever updated it: called with the
	 * user's id, or with {@code null} when updates may have been missed (a store shared
	 * by several instances lost its link to the others), so that the listener reads again
	 * every user it watches. A listener may be called more than once for one update. The
	 * default reports nothing.
	 * @param listener called after each update
	 * @return removes the listener
	 */
	default Runnable onChanged(Consumer<@Nullable String> listener) {
		return () -> {
		};
	}

}
