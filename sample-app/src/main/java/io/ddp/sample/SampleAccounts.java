package io.ddp.sample;

import io.ddp.spring.accounts.DdpAccounts;
import io.ddp.spring.accounts.DuplicateUserException;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The sample app's one user, so that the page's login works on a plain
 * {@code spring-boot:run}: {@code demo} / {@code demo} (role USER), with a fixed id so
 * that several instances of the {@code postgres} profile agree on it; an instance that
 * finds it already in the database keeps it. The {@code conformance} profile has its own
 * fixture users instead.
 */
@Component
@Profile("!conformance")
public class SampleAccounts implements InitializingBean {

	private final DdpAccounts accounts;

	/**
	 * Create the sample user.
	 * @param accounts the accounts to create it in
	 */
	public SampleAccounts(DdpAccounts accounts) {
		this.accounts = accounts;
	}

	@Override
	public void afterPropertiesSet() {
		try {
			this.accounts.newUser().id("demo-id").username("demo").password("demo").roles("USER").create();
		}
		catch (DuplicateUserException ex) {
			// Kept in PostgreSQL (postgres profile) by an earlier run or another instance
		}
	}

}
