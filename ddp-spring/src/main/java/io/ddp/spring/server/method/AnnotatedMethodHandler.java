package io.ddp.spring.server.method;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;

/**
 * Calls a {@link DdpMethod} bean method: binds positional arguments to its parameters,
 * validates them when a Bean Validation validator is present, and adapts the return
 * value. Parameter bindings are computed once, at registration.
 */
final class AnnotatedMethodHandler implements DdpMethodHandler {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			AnnotatedMethodHandler.class.getClassLoader());

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final @Nullable ParameterValidator validator;

	private final ParameterBinder binder;

	private final boolean returnsNothing;

	AnnotatedMethodHandler(Object bean, String beanName, Method method, Ejson ejson,
			@Nullable ParameterValidator validator) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.validator = validator;
		this.binder = new ParameterBinder(method, bean.getClass(), ejson,
				Set.of(DdpMethodInvocation.class, ClientConnection.class, MethodArguments.class));
		this.returnsNothing = returnsNothing(method);
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
		Object[] values = this.binder.bind((type) -> injected(type, invocation, arguments), arguments);
		if (this.validator != null) {
			this.validator.validate(this.bean, this.method, values);
		}
		return adapt(this.binder.invoke(this.bean, values));
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

	private @Nullable Object injected(Class<?> type, DdpMethodInvocation invocation, MethodArguments arguments) {
		if (type == DdpMethodInvocation.class) {
			return invocation;
		}
		return (type == ClientConnection.class) ? invocation.connection() : arguments;
	}

	@Override
	public String toString() {
		return this.binder.describe(this.beanName);
	}

	Method method() {
		return this.method;
	}

}
