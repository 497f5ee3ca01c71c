package io.ddp.spring.accounts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.publication.DdpPublicationHandler;
import io.ddp.spring.server.publication.ServerSubscription;
import org.jspecify.annotations.Nullable;

/**
 * The universal publication of the connection's own user in collection {@code users},
 * with the fields Meteor publishes by default. It reruns when the user changes, as every
 * universal publication does.
 */
final class CurrentUserPublication implements DdpPublicationHandler {

	static final String COLLECTION = "users";

	private final DdpUserStore users;

	CurrentUserPublication(DdpUserStore users) {
		this.users = users;
	}

	@Override
	public @Nullable Object publish(ServerSubscription subscription, MethodArguments arguments) {
		String userId = subscription.userId();
		DdpUser user = (userId != null) ? this.users.findById(userId) : null;
		if (user != null) {
			subscription.added(COLLECTION, user.id(), fields(user));
		}
		subscription.ready();
		return null;
	}

	static Map<String, Object> fields(DdpUser user) {
		Map<String, Object> fields = new LinkedHashMap<>();
		if (user.username() != null) {
			fields.put("username", user.username());
		}
		if (!user.emails().isEmpty()) {
			List<Map<String, Object>> emails = user.emails()
				.stream()
				.map((address) -> Map.<String, Object>of("address", address, "verified", false))
				.toList();
			fields.put("emails", emails);
		}
		if (!user.profile().isEmpty()) {
			fields.put("profile", user.profile());
		}
		return fields;
	}

	@Override
	public String toString() {
		return "the current user's document in '" + COLLECTION + "' (ddp.accounts.publish-current-user)";
	}

}
