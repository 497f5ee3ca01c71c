package io.ddp.spring.accounts;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A user account, as Meteor's {@code users} collection holds it: an id, an optional
 * username, e-mail addresses, a free-form profile, and the password hash. Roles are this
 * library's addition, for Spring Security's authorities.
 *
 * @param id the user id ({@code this.userId} in Meteor)
 * @param username the username, or {@code null}
 * @param emails the e-mail addresses, possibly empty
 * @param profile the profile, published to the user in collection {@code users}
 * @param roles role names without a {@code ROLE_} prefix, e.g. {@code ADMIN}
 * @param passwordHash the {@code PasswordEncoder} hash of the password's SHA-256 hex
 * digest, or {@code null} for a user without a password
 * @param createdAt when the user was created
 * @since 0.1.0
 */
public record DdpUser(String id, @Nullable String username, List<String> emails, Map<String, Object> profile,
		Set<String> roles, @Nullable String passwordHash, Instant createdAt) {

	public DdpUser {
		emails = List.copyOf(emails);
		profile = Map.copyOf(profile);
		roles = Set.copyOf(roles);
	}

}
