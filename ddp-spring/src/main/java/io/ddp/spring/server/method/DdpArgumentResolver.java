package io.ddp.spring.server.method;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;

/**
 * Supplies the value of a parameter of a {@link DdpMethod} or
 * {@link io.ddp.spring.server.publication.DdpPublication} method from the call's context,
 * instead of binding it to one of the call's {@code params}. Declare implementations as
 * beans to have Spring Boot apply them (in {@link org.springframework.core.Ordered}
 * order) after the built-in resolvers; parameters that no resolver supports take the
 * call's positional arguments in order.
 *
 * <p>
 * {@link #supportsParameter} is asked once per parameter when a handler is registered;
 * {@link #resolveArgument} runs on every call, so it should be cheap and thread-safe.
 *
 * @since 0.1.0
 * @see DdpArgumentResolverComposite
 */
public interface DdpArgumentResolver {

	/**
	 * Whether this resolver supplies the given parameter.
	 * @param parameter the parameter
	 * @return {@code true} to resolve it with {@link #resolveArgument}
	 */
	boolean supportsParameter(MethodParameter parameter);

	/**
	 * Return the value of a parameter this resolver supports.
	 * @param parameter the parameter
	 * @param context the call
	 * @return the value, {@code null} allowed for non-primitive parameters
	 * @throws Exception any error; a {@link io.ddp.spring.protocol.DdpException} reaches
	 * the client as is, others are sanitized
	 */
	@Nullable Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) throws Exception;

	/**
	 * Create a resolver for parameters declared with exactly the given type.
	 * @param <T> the type
	 * @param type the parameter type
	 * @param value computes the value from the call's context
	 * @return the resolver
	 */
	static <T> DdpArgumentResolver forType(Class<T> type, ContextValue<T> value) {
		return new TypeArgumentResolver<>(type, value);
	}

	/**
	 * Computes a parameter value from a call's context.
	 *
	 * @param <T> the value type
	 */
	@FunctionalInterface
	interface ContextValue<T> {

		/**
		 * Return the value for the given call.
		 * @param context the call
		 * @return the value or {@code null}
		 */
		@Nullable T get(DdpInvocationContext context);

	}

}
