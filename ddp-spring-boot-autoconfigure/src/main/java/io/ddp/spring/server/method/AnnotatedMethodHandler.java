package io.ddp.spring.server.method;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Calls a {@link DdpMethod} bean method: binds positional arguments to its parameters,
 * validates them when a Bean Validation validator is present, and adapts the return value.
 * Parameter bindings are computed once, at registration.
 */
final class AnnotatedMethodHandler implements DdpMethodHandler {

	private static final boolean REACTOR_PRESENT = ClassUtils.isPresent("reactor.core.publisher.Mono",
			AnnotatedMethodHandler.class.getClassLoader());

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final Ejson ejson;

	private final @Nullable ParameterValidator validator;

	private final Binding[] bindings;

	private final boolean returnsNothing;

	AnnotatedMethodHandler(Object bean, String beanName, Method method, Ejson ejson,
			@Nullable ParameterValidator validator) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.ejson = ejson;
		this.validator = validator;
		ReflectionUtils.makeAccessible(method);
		this.bindings = bindingsFor(method, bean.getClass(), ejson);
		this.returnsNothing = returnsNothing(method);
	}

	private static Binding[] bindingsFor(Method method, Class<?> beanClass, Ejson ejson) {
		Binding[] bindings = new Binding[method.getParameterCount()];
		int position = 0;
		for (int i = 0; i < bindings.length; i++) {
			MethodParameter parameter = new MethodParameter(method, i).withContainingClass(beanClass);
			Class<?> type = parameter.getParameterType();
			if (DdpMethodInvocation.class.equals(type)) {
				bindings[i] = new Binding(Kind.INVOCATION, -1, null);
			}
			else if (ClientConnection.class.equals(type)) {
				bindings[i] = new Binding(Kind.CONNECTION, -1, null);
			}
			else if (MethodArguments.class.equals(type)) {
				bindings[i] = new Binding(Kind.ARGUMENTS, -1, null);
			}
			else if (method.isVarArgs() && i == bindings.length - 1) {
				Type component = ResolvableType.forMethodParameter(parameter).getComponentType().getType();
				bindings[i] = new Binding(Kind.VARARGS, position++, ejson.mapper().constructType(component));
			}
			else if (Optional.class.equals(type)) {
				Type inner = ResolvableType.forMethodParameter(parameter).getGeneric(0).getType();
				bindings[i] = new Binding(Kind.OPTIONAL, position++, ejson.mapper().constructType(inner));
			}
			else {
				Type generic = ResolvableType.forMethodParameter(parameter).getType();
				bindings[i] = new Binding(Kind.POSITIONAL, position++, ejson.mapper().constructType(generic));
			}
		}
		return bindings;
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
		Object[] values = bind(invocation, (JsonMethodArguments) arguments);
		if (this.validator != null) {
			this.validator.validate(this.bean, this.method, values);
		}
		Object result;
		try {
			result = this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			throw (Error) target;
		}
		return adapt(result);
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

	private Object[] bind(DdpMethodInvocation invocation, JsonMethodArguments arguments) {
		Object[] values = new Object[this.bindings.length];
		for (int i = 0; i < values.length; i++) {
			Binding binding = this.bindings[i];
			values[i] = switch (binding.kind) {
				case INVOCATION -> invocation;
				case CONNECTION -> invocation.connection();
				case ARGUMENTS -> arguments;
				case POSITIONAL -> positional(arguments, binding, i);
				case OPTIONAL -> Optional.ofNullable(arguments.convert(binding.position, binding.type));
				case VARARGS -> varargs(arguments, binding);
			};
		}
		return values;
	}

	private @Nullable Object positional(JsonMethodArguments arguments, Binding binding, int parameterIndex) {
		Object value = arguments.convert(binding.position, binding.type);
		if (value == null && binding.type.isPrimitive()) {
			throw new DdpException(400, "Match failed", null, new IllegalArgumentException(
					"Missing value for primitive parameter " + parameterIndex + " of " + this.method));
		}
		return value;
	}

	private Object varargs(JsonMethodArguments arguments, Binding binding) {
		int count = Math.max(0, arguments.size() - binding.position);
		Object array = java.lang.reflect.Array.newInstance(binding.type.getRawClass(), count);
		for (int i = 0; i < count; i++) {
			int index = binding.position + i;
			java.lang.reflect.Array.set(array, i, arguments.convert(arguments.json().get(index), binding.type, index));
		}
		return array;
	}

	@Override
	public String toString() {
		return "bean '" + this.beanName + "' (" + this.method.getDeclaringClass().getName() + "#"
				+ this.method.getName() + ")";
	}

	Method method() {
		return this.method;
	}

	private enum Kind {

		INVOCATION, CONNECTION, ARGUMENTS, POSITIONAL, OPTIONAL, VARARGS

	}

	private record Binding(Kind kind, int position, JavaType type) {
	}

	/**
	 * Bean Validation of method parameters, kept behind an interface so the validation API
	 * stays optional.
	 */
	@FunctionalInterface
	interface ParameterValidator {

		void validate(Object bean, Method method, Object[] arguments);

		static ParameterValidator of(jakarta.validation.Validator validator) {
			return (bean, method, arguments) -> {
				Set<? extends jakarta.validation.ConstraintViolation<?>> violations = validator.forExecutables()
					.validateParameters(bean, method, arguments);
				if (!violations.isEmpty()) {
					throw matchFailed(violations);
				}
			};
		}

		static DdpException matchFailed(Set<? extends jakarta.validation.ConstraintViolation<?>> violations) {
			List<Map<String, String>> details = new ArrayList<>();
			for (jakarta.validation.ConstraintViolation<?> violation : violations) {
				Map<String, String> entry = new LinkedHashMap<>();
				entry.put("path", violation.getPropertyPath().toString());
				entry.put("message", violation.getMessage());
				details.add(entry);
			}
			details.sort((a, b) -> a.get("path").compareTo(b.get("path")));
			return new DdpException(400, "Match failed", details);
		}

	}

}
