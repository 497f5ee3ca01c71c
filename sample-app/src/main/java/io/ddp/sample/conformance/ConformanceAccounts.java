package io.ddp.sample.conformance;

import io.ddp.spring.accounts.DdpAccounts;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The users of the conformance fixture, created through the accounts API: {@code alice} /
 * {@code secret} (role USER), {@code root} / {@code rootpw} (role ADMIN), and user
 * {@code token-user} with the resume token {@code valid-token}, stored hashed like any
 * other token. They exist before the server accepts connections.
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

}
