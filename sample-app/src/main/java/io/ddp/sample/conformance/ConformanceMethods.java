package io.ddp.sample.conformance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.server.method.DdpMethod;
import io.ddp.spring.server.method.DdpMethodHandler;
import io.ddp.spring.server.method.DdpMethodInvocation;
import io.ddp.spring.server.method.MethodArguments;

import org.springframework.context.annotation.Profile;
import org.springframework.stereotype.Component;

/**
 * The methods of the conformance fixture, with the same behaviour as the Meteor reference
 * app ({@code ../shared/meteor-reference/app.js}), so one client test suite runs against
 * both servers.
 */
@Component
@Profile("conformance")
public class ConformanceMethods {

	private static final String SECRET_DIGEST = sha256Hex("secret");

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

	@DdpMethod
	public Map<String, Object> login(Map<String, Object> request, DdpMethodInvocation invocation) {
		Instant expires = Instant.now().plus(Duration.ofDays(1));
		if (request != null && "valid-token".equals(request.get("resume"))) {
			invocation.setUserId("token-user");
			return loginResult("token-user", "valid-token", expires);
		}
		if (request != null && request.get("user") instanceof Map<?, ?> user && "alice".equals(user.get("username"))
				&& request.get("password") instanceof Map<?, ?> password && "sha-256".equals(password.get("algorithm"))
				&& SECRET_DIGEST.equals(password.get("digest"))) {
			invocation.setUserId("alice-id");
			return loginResult("alice-id", "alice-token", expires);
		}
		throw new DdpException(403, "Login forbidden");
	}

	private static Map<String, Object> loginResult(String id, String token, Instant expires) {
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("id", id);
		result.put("token", token);
		result.put("tokenExpires", expires);
		return result;
	}

	private static String sha256Hex(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
