package io.ddp.spring.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties of Meteor's accounts over DDP.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("ddp.accounts")
public class DdpAccountsProperties {

	/**
	 * Whether the server answers the accounts methods (login, logout, getNewToken,
	 * removeOtherTokens, createUser). Turn off to define a 'login' method of your own.
	 */
	private boolean enabled = true;

	/**
	 * How long a login token is valid after it was issued (Meteor's loginExpiration).
	 */
	private Duration loginExpiration = Duration.ofDays(90);

	/**
	 * Time between sweeps that remove expired login tokens and close the connections
	 * logged in with them.
	 */
	private Duration tokenSweepInterval = Duration.ofMinutes(10);

	/**
	 * Whether clients may create accounts with the 'createUser' method; when off, it
	 * fails with 403 "Signups forbidden".
	 */
	private boolean clientAccountCreation;

	/**
	 * Whether a failed password login answers only "Something went wrong. Please check
	 * your credentials." instead of saying whether the user exists.
	 */
	private boolean ambiguousErrorMessages = true;

	/**
	 * Whether each connection gets its own user document (username, emails, profile) in
	 * collection 'users'.
	 */
	private boolean publishCurrentUser = true;

	/**
	 * Whether to add Meteor's default rate limit: 5 calls of login, createUser,
	 * resetPassword and forgotPassword per 10 seconds per connection and method.
	 */
	private boolean defaultRateLimit = true;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Duration getLoginExpiration() {
		return this.loginExpiration;
	}

	public void setLoginExpiration(Duration loginExpiration) {
		this.loginExpiration = loginExpiration;
	}

	public Duration getTokenSweepInterval() {
		return this.tokenSweepInterval;
	}

	public void setTokenSweepInterval(Duration tokenSweepInterval) {
		this.tokenSweepInterval = tokenSweepInterval;
	}

	public boolean isClientAccountCreation() {
		return this.clientAccountCreation;
	}

	public void setClientAccountCreation(boolean clientAccountCreation) {
		this.clientAccountCreation = clientAccountCreation;
	}

	public boolean isAmbiguousErrorMessages() {
		return this.ambiguousErrorMessages;
	}

	public void setAmbiguousErrorMessages(boolean ambiguousErrorMessages) {
		this.ambiguousErrorMessages = ambiguousErrorMessages;
	}

	public boolean isPublishCurrentUser() {
		return this.publishCurrentUser;
	}

	public void setPublishCurrentUser(boolean publishCurrentUser) {
		this.publishCurrentUser = publishCurrentUser;
	}

	public boolean isDefaultRateLimit() {
		return this.defaultRateLimit;
	}

	public void setDefaultRateLimit(boolean defaultRateLimit) {
		this.defaultRateLimit = defaultRateLimit;
	}

}
