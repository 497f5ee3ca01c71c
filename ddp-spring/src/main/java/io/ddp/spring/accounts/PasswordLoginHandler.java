package io.ddp.spring.accounts;

import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.JsTruthiness;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Meteor's {@code password} login handler: {@code {user: <selector>, password: <string or
 * digest>, code?}}, checked against the user store through the {@link PasswordEncoder}.
 */
final class PasswordLoginHandler implements DdpLoginHandler {

	static final String TYPE = "password";

	private static final Set<String> OPTION_KEYS = Set.of("user", "password", "code");

	private static final Set<String> SELECTOR_KEYS = Set.of("id", "username", "email");

	private final DdpUserStore users;

	private final PasswordEncoder passwordEncoder;

	private final BooleanSupplier ambiguousErrors;

	PasswordLoginHandler(DdpUserStore users, PasswordEncoder passwordEncoder, BooleanSupplier ambiguousErrors) {
		this.users = users;
		this.passwordEncoder = passwordEncoder;
		this.ambiguousErrors = ambiguousErrors;
	}

	@Override
	public @Nullable DdpLoginResult login(DdpLoginRequest request) {
		ObjectNode options = request.options();
		JsonNode password = options.get("password");
		if (!JsTruthiness.isTruthy(password)) {
			return null;
		}
		try {
			if (!OPTION_KEYS.containsAll(options.propertyNames())) {
				throw AccountErrors.matchFailed();
			}
			JsonNode code = options.get("code");
			if (code != null && !(code.isString() && !code.asString().isEmpty())) {
				throw AccountErrors.matchFailed();
			}
			Map.Entry<String, String> selector = selector(options.get("user"));
			String digest = Passwords.digest(password);
			DdpUser user = switch (selector.getKey()) {
				case "id" -> this.users.findById(selector.getValue());
				case "username" -> this.users.findByUsername(selector.getValue());
				default -> this.users.findByEmail(selector.getValue());
			};
			boolean ambiguous = this.ambiguousErrors.getAsBoolean();
			if (user == null) {
				return DdpLoginResult.failure(TYPE, null, AccountErrors.credentials("User not found", ambiguous));
			}
			if (user.passwordHash() == null) {
				return DdpLoginResult.failure(TYPE, user.id(),
						AccountErrors.credentials("User has no password set", ambiguous));
			}
			if (!this.passwordEncoder.matches(digest, user.passwordHash())) {
				return DdpLoginResult.failure(TYPE, user.id(),
						AccountErrors.credentials("Incorrect password", ambiguous));
			}
			return DdpLoginResult.success(TYPE, user.id());
		}
		catch (DdpException ex) {
			return DdpLoginResult.failure(TYPE, null, ex);
		}
	}

	// Exactly one of id, username, email, a non-empty string (Meteor's
	// userQueryValidator).
	private static Map.Entry<String, String> selector(@Nullable JsonNode user) {
		if (user == null || !user.isObject() || user.size() != 1) {
			throw AccountErrors.matchFailed();
		}
		Map.Entry<String, JsonNode> entry = user.properties().iterator().next();
		if (!SELECTOR_KEYS.contains(entry.getKey()) || !entry.getValue().isString()
				|| entry.getValue().asString().isEmpty()) {
			throw AccountErrors.matchFailed();
		}
		return Map.entry(entry.getKey(), entry.getValue().asString());
	}

	@Override
	public String toString() {
		return "password";
	}

}
