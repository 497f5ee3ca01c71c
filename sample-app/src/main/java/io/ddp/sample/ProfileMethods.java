package io.ddp.sample;

import java.util.Map;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;

import org.springframework.stereotype.Component;

/**
 * Lets a logged-in user change their own profile, as a Meteor method's
 * {@code Meteor.users.update(this.userId, {$set: {profile}})} does. Every connection of
 * that user sees the change in collection {@code users} (the page shows the name), the
 * calling one before the result.
 */
@Component
public class ProfileMethods {

	private final DdpAccounts accounts;

	/**
	 * Create the methods.
	 * @param accounts the accounts whose users change
	 */
	public ProfileMethods(DdpAccounts accounts) {
		this.accounts = accounts;
	}

	/**
	 * Replace the logged-in caller's profile.
	 * @param profile the new profile, {@code {}} for none
	 * @param invocation the call
	 * @throws DdpException 403 when the caller is not logged in, 400 for a top-level
	 * {@code null} value
	 */
	@DdpMethod
	public void setProfile(Map<String, Object> profile, DdpMethodInvocation invocation) {
		if (profile.containsValue(null)) {
			throw new DdpException(400, "A profile field may not be null; leave it out instead");
		}
		String userId = invocation.userId();
		DdpUser user = (userId != null) ? this.accounts.users().findById(userId) : null;
		if (user == null) {
			throw new DdpException(403, "Log in to set a profile");
		}
		this.accounts.users()
			.update(new DdpUser(user.id(), user.username(), user.emails(), profile, user.roles(), user.passwordHash(),
					user.createdAt()));
	}

}
