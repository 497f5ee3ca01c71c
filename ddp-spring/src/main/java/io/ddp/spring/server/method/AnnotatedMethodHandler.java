package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Calls a {@link DdpMethod} bean method through its {@link InvocableDdpHandlerMethod} and
 * adapts the return value: {@code void} and {@code Mono<Void>} or
 * {@code CompletionStage<Void>} become {@link #NO_RESULT}, a {@code Mono} a future, an
 * {@code Optional} its value.
 */
final class AnnotatedMethodHandler implements DdpMethodHandler {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			AnnotatedMethodHandler.class.getClassLoader());

	private final String beanName;

	private final InvocableDdpHandlerMethod invocable;

	private final boolean returnsNothing;

	AnnotatedMethodHandler(String beanName, InvocableDdpHandlerMethod invocable) {
		this.beanName = beanName;
		this.invocable = invocable;
		this.returnsNothing = returnsNothing(invocable.getMethod());
	}

	private static boolean returnsNothing(Method method) {
		Class<?> type = method.getReturnType();
		if (type == void.class || type == Void.class) {
			return true;
		}
		ResolvableType returnType = ResolvableType.forMethodReturnType(method);
		boolean async = CompletionStage.class.isAssignableFrom(type)
				|| (REACTOR_PRESENT && ReactorResults.isMono(type));
		return async && Void.class.equals(returnType.getGeneric(0).resolve());
	}

	@Override
	public @Nullable Object handle(DdpMethodInvocation invocation, MethodArguments arguments) throws Exception {
		return adapt(this.invocable.invoke(new Context(invocation, arguments)));
	}

	private @Nullable Object adapt(@Nullable Object result) {
		if (REACTOR_PRESENT && result != null && ReactorResults.isMono(result.getClass())) {
			result = ReactorResults.toFuture(result);
		}
		if (this.returnsNothing) {
			return (result instanceof CompletionStage<?> stage) ? stage.thenApply((ignored) -> NO_RESULT) : NO_RESULT;
		}
		if (result instanceof Optional<?> optional) {
			return optional.orElse(null);
		}
		return result;
	}

	@Override
	public String toString() {
		return this.invocable.describe(this.beanName);
	}

	private record Context(DdpMethodInvocation source, MethodArguments arguments) implements DdpInvocationContext {

		@Override
		public @Nullable ClientConnection connection() {
			return this.source.connection();
		}

		@Override
		public @Nullable String userId() {
			return this.source.userId();
		}

	}

}
