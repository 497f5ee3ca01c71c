package io.ddp.spring.server.method;

import java.util.List;
import java.util.Map;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.protocol.MeteorRandom;
import org.junit.jupiter.api.Test;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DdpMethodCaller}: the user a call runs as (inherited, or given), the
 * random seed, and the result types.
 */
class DdpMethodCallerTests {

	private static final String SEED = "0123456789abcdef0123";

	private final DdpMethodRegistry registry = new DdpMethodRegistry();

	private final DdpMethodCaller caller = new DdpMethodCaller(this.registry, Ejson.createDefault());

	DdpMethodCallerTests() {
		this.registry.register("whoami", (invocation, args) -> invocation.userId());
		this.registry.register("nested/whoami", (invocation, args) -> this.caller.call("whoami"));
		this.registry.register("nested/asBob", (invocation, args) -> this.caller.asUser("bob").call("whoami"));
		this.registry.register("hasConnection", (invocation, args) -> invocation.connection() != null);
		this.registry.register("login", (invocation, args) -> {
			invocation.setUserId("mallory");
			return null;
		});
		this.registry.register("newId", (invocation, args) -> invocation.randomStream("/collection/todos").id());
		this.registry.register("nested/newId", (invocation, args) -> this.caller.call("newId"));
		this.registry.register("points",
				(invocation, args) -> List.of(Map.of("x", 1, "y", 2), Map.of("x", args.get(0, Integer.class), "y", 4)));
	}

	@Test
	void withoutACurrentCallThereIsNoUser() {
		assertThat(this.caller.call("whoami")).isNull();
		assertThat(this.caller.call("nested/whoami")).isNull();
	}

	@Test
	void asUserRunsTheMethodAndItsInnerCallsAsThatUser() {
		DdpMethodCaller alice = this.caller.asUser("alice");
		assertThat(alice.call("whoami", String.class)).isEqualTo("alice");
		// the inner call inherits the current user
		assertThat(alice.call("nested/whoami")).isEqualTo("alice");
		// unless told otherwise
		assertThat(alice.call("nested/asBob")).isEqualTo("bob");
		assertThat(alice.asUser(null).call("whoami")).isNull();
		// the original is unchanged
		assertThat(this.caller.call("whoami")).isNull();
	}

	@Test
	void callAsAUserCannotChangeAnySessionsUser() {
		assertThat(this.caller.asUser("alice").call("hasConnection")).isEqualTo(false);
		assertThatIllegalStateException().isThrownBy(() -> this.caller.asUser("alice").call("login"))
			.withMessageContaining("server initiated");
	}

	@Test
	void randomSeedGivesTheIdsAClientDrewFromTheSameSeed() {
		String expected = MeteorRandom.forStream(SEED, "/collection/todos").id();
		DdpMethodCaller seeded = this.caller.withRandomSeed(SEED);
		assertThat(seeded.call("newId")).isEqualTo(expected);
		assertThat(seeded.asUser("alice").call("newId")).isEqualTo(expected);
		// an inner call's seed derives from its caller's, stream /rpc/<name>
		String innerSeed = MeteorRandom.forStream(SEED, "/rpc/newId").hexString(20);
		assertThat(seeded.call("nested/newId")).isEqualTo(MeteorRandom.forStream(innerSeed, "/collection/todos").id());
		// without a seed every call draws a fresh one
		assertThat(this.caller.call("newId")).isNotEqualTo(this.caller.call("newId"));
	}

	@Test
	void resultsConvertToAClassOrAGenericType() {
		List<Point> points = this.caller.call("points", new ParameterizedTypeReference<List<Point>>() {
		}, 3);
		assertThat(points).containsExactly(new Point(1, 2), new Point(3, 4));
		List<Point> async = this.caller.callAsync("points", new ParameterizedTypeReference<List<Point>>() {
		}, 5).join();
		assertThat(async).containsExactly(new Point(1, 2), new Point(5, 4));
		assertThat(this.caller.asUser("alice").callAsync("whoami", String.class).join()).isEqualTo("alice");
	}

	@Test
	void unknownMethodIsNotFound() {
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> this.caller.asUser("alice").call("nope"))
			.satisfies((ex) -> assertThat(ex.hasError(404)).isTrue());
	}

	record Point(int x, int y) {
	}

}
