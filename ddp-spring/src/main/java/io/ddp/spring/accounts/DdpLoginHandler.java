package io.ddp.spring.accounts;

import org.jspecify.annotations.Nullable;

/**
 * One way to log in through the DDP {@code login} method (Meteor's
 * {@code Accounts.registerLoginHandler}). Handlers are asked in order; the first that
 * returns a result decides. The built-in ones handle {@code resume} and {@code password};
 * declare beans of this type to add others.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpLoginHandler {

	/**
	 * Try to log in with the given request.
	 * @param request the login options and the connection asking
	 * @return the outcome, or {@code null} if these options are not for this handler
	 */
	@Nullable DdpLoginResult login(DdpLoginRequest request);

}
