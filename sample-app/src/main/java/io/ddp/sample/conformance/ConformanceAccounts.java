package io.ddp.sample.conformance;

import java.util.Map;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DdpUser;
import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodInvocation;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The users of the conformance fixture, created through the accounts API: {@code alice} /
 * {@code secret} (role USER), {@code root} / {@code rootpw} (role ADMIN), and user
 * {@code token-user} with the resume token {@code valid-token}, stored hashed like any
 * other token. They exist before the server accepts connections. {@code setProfile}
 * changes the caller's profile on the server, as a Meteor method's
 * {@code Meteor.users.update(this.userId, {$set: {profile}})} does.
 */
@Component
@Profile("conformance")
public class ConformanceAccounts implements InitializingBean {

	private final DdpAccounts accounts;

	/**
	 * Create the fixture.
	 * @param accounts the accounts to create the users in
	 */
	public ConformanceAccounts(DdpAccounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public void afterPropertiesSet() {
		this.accounts.newUser().id("alice-id").username("alice").password("secret").roles("USER").create();
		this.accounts.newUser().id("root-id").username("root").password("rootpw").roles("ADMIN").create();
		this.accounts.newUser().id("token-user").username("token-user").roles("USER").create();
		this.accounts.addLoginToken("token-user", "valid-token");
	}

	/**
	 * Replace the logged-in caller's profile; the user's connections see it in
	 * {@code users}, this one before the result.
	 * @param profile the new profile
	 * @param invocation the call
	 */
	@DdpMethod
	public void setProfile(Map<String, Object> profile, DdpMethodInvocation invocation) {
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
