package io.ddp.sample.conformance;

import java.util.Map;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.MethodArguments;

import org.springframework.context.annotation.Profile;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;

/**
 * The methods of the conformance fixture, with the same behaviour as the Meteor reference
 * app ({@code ../shared/meteor-reference/app.js}), so one client test suite runs against
 * both servers. Logins are the real accounts' ({@link ConformanceAccounts}).
 */
@Component
@Profile("conformance")
public class ConformanceMethods {

	@DdpMethod
	public Object[] echo(Object... args) {
		return args;
	}

	/**
	 * Returns "ok"; limited to 3 calls per 5 s per connection
	 * ({@code application-conformance.yml}).
	 * @return "ok"
	 */
	@DdpMethod
	public String limited() {
		return "ok";
	}

	@DdpMethod
	public Object echoOne(MethodArguments arguments) {
		// Called without an argument, Meteor's echoOne returns undefined: no result
		// field.
		return (arguments.size() == 0) ? DdpMethodHandler.NO_RESULT : arguments.get(0);
	}

	@DdpMethod
	public void throwMeteorError() {
		throw new DdpException("custom-error", "Custom reason", Map.of("a", 1));
	}

	@DdpMethod
	public void throwInternal() {
		throw new IllegalStateException("internal detail that must not reach the client");
	}

	@DdpMethod
	public long slow(long millis, DdpMethodInvocation invocation) throws InterruptedException {
		invocation.unblock();
		Thread.sleep(millis);
		return millis;
	}

	@DdpMethod
	public String setUserId(String id, DdpMethodInvocation invocation) {
		invocation.setUserId(id);
		return id;
	}

	@DdpMethod
	public String whoami(DdpMethodInvocation invocation) {
		return invocation.userId();
	}

	/**
	 * Returns "ok" to a connection whose Spring Security authentication has role ADMIN
	 * (user {@code root}); others get error 403 {@code Access denied}.
	 * @return "ok"
	 */
	@DdpMethod
	@PreAuthorize("hasRole('ADMIN')")
	public String adminOnly() {
		return "ok";
	}

}
