package io.ddp.spring.server.method;

import java.lang.reflect.Array;
import java.util.Optional;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;

/**
 * Binds one parameter to the call argument at a fixed position, converted with EJSON to
 * the parameter's generic type: {@code Optional} wraps the value, a trailing varargs
 * parameter takes the remaining arguments, a missing argument is {@code null} (400
 * {@code Match failed} for a primitive). Made once per parameter, with its position, by
 * {@link InvocableDdpHandlerMethod} for parameters no other resolver claims.
 */
final class PositionalArgumentResolver implements DdpArgumentResolver {

	private final Kind kind;

	private final int position;

	private final JavaType type;

	private final Ejson ejson;

	private PositionalArgumentResolver(Kind kind, int position, JavaType type, Ejson ejson) {
		this.kind = kind;
		this.position = position;
		this.type = type;
		this.ejson = ejson;
	}

	static PositionalArgumentResolver of(MethodParameter parameter, int position, Ejson ejson) {
		ResolvableType resolvable = ResolvableType.forMethodParameter(parameter);
		int index = parameter.getParameterIndex();
		if (parameter.getExecutable().isVarArgs() && index == parameter.getExecutable().getParameterCount() - 1) {
			return new PositionalArgumentResolver(Kind.VARARGS, position,
					ejson.mapper().constructType(resolvable.getComponentType().getType()), ejson);
		}
		if (Optional.class.equals(parameter.getParameterType())) {
			return new PositionalArgumentResolver(Kind.OPTIONAL, position,
					ejson.mapper().constructType(resolvable.getGeneric(0).getType()), ejson);
		}
		return new PositionalArgumentResolver(Kind.POSITIONAL, position,
				ejson.mapper().constructType(resolvable.getType()), ejson);
	}

	@Override
	public boolean supportsParameter(MethodParameter parameter) {
		return true;
	}

	@Override
	public @Nullable Object resolveArgument(MethodParameter parameter, DdpInvocationContext context) {
		JsonMethodArguments arguments = JsonMethodArguments.of(context.arguments(), this.ejson);
		return switch (this.kind) {
			case POSITIONAL -> positional(arguments, parameter);
			case OPTIONAL -> Optional.ofNullable(arguments.convert(this.position, this.type));
			case VARARGS -> varargs(arguments);
		};
	}

	private @Nullable Object positional(JsonMethodArguments arguments, MethodParameter parameter) {
		Object value = arguments.convert(this.position, this.type);
		if (value == null && this.type.isPrimitive()) {
			throw new DdpException(400, "Match failed", null,
					new IllegalArgumentException("Missing value for primitive parameter "
							+ parameter.getParameterIndex() + " of " + parameter.getExecutable()));
		}
		return value;
	}

	private Object varargs(JsonMethodArguments arguments) {
		int count = Math.max(0, arguments.size() - this.position);
		Object array = Array.newInstance(this.type.getRawClass(), count);
		for (int i = 0; i < count; i++) {
			int index = this.position + i;
			Array.set(array, i, arguments.convert(arguments.json().get(index), this.type, index));
		}
		return array;
	}

	@Override
	public String toString() {
		return "argument " + this.position + " as " + this.type;
	}

	private enum Kind {

		POSITIONAL, OPTIONAL, VARARGS

	}

}
