package io.ddp.spring.server.method;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;

/**
 * Resolves parameters of exactly one type. An exact match, so that an {@code Object}
 * parameter still takes a call argument.
 *
 * @param <T> the type
 */
final class TypeArgumentResolver<T> implements DdpArgumentResolver {

	private final Class<T> type;

	private final ContextValue<T> value;

	TypeArgumentResolver(Class<T> type, ContextValue<T> value) {
		this.type = type;
		this.value = value;
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return parameter.getParameterType() == this.type;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) {
		return this.value.get(context);
	}

	@Override
	public String toString() {
		return "DdpArgumentResolver for " + this.type.getName();
	}

}
