package io.ddp.spring.accounts;

/**
 * Decides whether an accepted login may proceed (Meteor's
 * {@code Accounts.validateLoginAttempt}). Declare beans of this type; all of them must
 * agree.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpLoginValidator {

	/**
	 * Validate a login.
	 * @param attempt the login
	 * @return {@code false} to refuse it with 403 {@code Login forbidden}
	 * @throws io.ddp.spring.protocol.DdpException to refuse it with a more specific
	 * error, sent as is
	 */
	boolean validate(DdpLoginAttempt attempt);

}
