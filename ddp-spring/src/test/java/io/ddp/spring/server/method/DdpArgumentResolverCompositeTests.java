package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link DdpArgumentResolverComposite} and the parameter resolution of
 * {@link InvocableDdpHandlerMethod}.
 */
class DdpArgumentResolverCompositeTests {

	private static final Ejson EJSON = Ejson.createDefault();

	private final Handlers handlers = new Handlers();

	@Test
	void firstSupportingResolverWinsInOrder() throws Exception {
		DdpArgumentResolverComposite composite = new DdpArgumentResolverComposite()
			.addResolver(DdpArgumentResolver.forType(String.class, (context) -> "first"))
			.addResolver(DdpArgumentResolver.forType(String.class, (context) -> "second"));
		assertThat(composite.resolveArgument(parameter("text", 0), context("[]"))).isEqualTo("first");
	}

	@Test
	void choiceIsCachedPerParameter() {
		CountingResolver counting = new CountingResolver();
		DdpArgumentResolverComposite composite = new DdpArgumentResolverComposite().addResolver(counting);
		MethodParameter text = parameter("text", 0);
		DdpArgumentResolver chosen = composite.getArgumentResolver(text);
		assertThat(composite.getArgumentResolver(parameter("text", 0))).isSameAs(chosen).isSameAs(counting);
		assertThat(composite.supportsParameter(text)).isTrue();
		assertThat(counting.asked).hasValue(1);
	}

	@Test
	void unsupportedParameterHasNoResolverAndFailsToResolve() {
		DdpArgumentResolverComposite composite = new DdpArgumentResolverComposite()
			.addResolver(DdpArgumentResolver.forType(String.class, (context) -> "x"));
		MethodParameter number = parameter("number", 0);
		assertThat(composite.getArgumentResolver(number)).isNull();
		assertThat(composite.supportsParameter(number)).isFalse();
		assertThatIllegalArgumentException().isThrownBy(() -> composite.resolveArgument(number, context("[]")))
			.withMessageContaining("No DdpArgumentResolver supports");
	}

	@Test
	void typeResolverMatchesTheExactTypeOnly() {
		DdpArgumentResolver resolver = DdpArgumentResolver.forType(CharSequence.class, (context) -> "x");
		assertThat(resolver.supportsParameter(parameter("text", 0))).isFalse();
		assertThat(resolver.supportsParameter(parameter("sequence", 0))).isTrue();
	}

	@Test
	void resolvedParametersTakeNoArgumentPosition() throws Exception {
		InvocableDdpHandlerMethod invocable = invocable("mixed", new DdpArgumentResolverComposite()
			.addResolver(DdpArgumentResolver.forType(Caller.class, (context) -> new Caller(context.userId()))));
		assertThat(invocable.invoke(context("[\"hi\",2]"))).isEqualTo("hi u1 hi u1");
	}

	@Test
	void optionalsVarargsAndMissingArgumentsBindAsBefore() throws Exception {
		DdpArgumentResolverComposite none = new DdpArgumentResolverComposite();
		assertThat(invocable("optionalAndRest", none).invoke(context("[\"a\",1,2]"))).isEqualTo("a:[1, 2]");
		assertThat(invocable("optionalAndRest", none).invoke(context("[]"))).isEqualTo("none:[]");
	}

	@Test
	void argumentsThatDoNotConvertAreMatchFailed() {
		InvocableDdpHandlerMethod invocable = invocable("primitive", new DdpArgumentResolverComposite());
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> invocable.invoke(context("[\"x\"]")))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("Match failed"));
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> invocable.invoke(context("[]")))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("Match failed"));
	}

	@Test
	void exceptionsOfTheMethodAreRethrownUnwrapped() {
		InvocableDdpHandlerMethod invocable = invocable("fails", new DdpArgumentResolverComposite());
		assertThatExceptionOfType(DdpException.class).isThrownBy(() -> invocable.invoke(context("[]")))
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("Forbidden"));
	}

	private InvocableDdpHandlerMethod invocable(String name, DdpArgumentResolverComposite resolvers) {
		return new InvocableDdpHandlerMethod(this.handlers, method(name), resolvers, EJSON, null);
	}

	private static Method method(String name) {
		for (Method method : ReflectionUtils.getDeclaredMethods(Handlers.class)) {
			if (method.getName().equals(name)) {
				return method;
			}
		}
		throw new IllegalArgumentException(name);
	}

	private static MethodParameter parameter(String method, int index) {
		return new MethodParameter(method(method), index);
	}

	private static DdpInvocationContext context(String params) {
		return new TestContext(MethodArguments.of((ArrayNode) EJSON.mapper().readTree(params), EJSON));
	}

	record Caller(@Nullable String id) {
	}

	record TestContext(MethodArguments arguments) implements DdpInvocationContext {

		@Override
		public Object source() {
			return this;
		}

		@Override
		public @Nullable ClientConnection connection() {
			return null;
		}

		@Override
		public String userId() {
			return "u1";
		}

	}

	static class CountingResolver implements DdpArgumentResolver {

		final AtomicInteger asked = new AtomicInteger();

		@Override
		public boolean supportsParameter(MethodParameter parameter) {
			this.asked.incrementAndGet();
			return true;
		}

		@Override
		public Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) {
			return "counted";
		}

	}

	static class Handlers {

		String text(String value) {
			return value;
		}

		String sequence(CharSequence value) {
			return value.toString();
		}

		int number(int value) {
			return value;
		}

		String mixed(String greeting, Caller caller, int times) {
			return String.join(" ", java.util.Collections.nCopies(times, greeting + " " + caller.id()));
		}

		String optionalAndRest(Optional<String> first, Integer... rest) {
			return first.orElse("none") + ":" + List.of(rest);
		}

		int primitive(int value) {
			return value;
		}

		void fails() {
			throw new DdpException(403, "Forbidden");
		}

	}

}
