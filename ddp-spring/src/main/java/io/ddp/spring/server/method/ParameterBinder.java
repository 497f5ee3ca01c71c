package io.ddp.spring.server.method;

import java.lang.reflect.Array;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import io.ddp.spring.protocol.DdpException;
import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.node.ArrayNode;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.util.ReflectionUtils;

/**
 * Binds the positional arguments of a DDP call ({@code params}) to the parameters of an
 * annotated bean method, for {@link DdpMethod} and publication handlers alike: context
 * parameters of the given injectable types are supplied by the caller, the rest take the
 * arguments in order, converted with EJSON (generics, {@code Optional}, a trailing
 * varargs parameter for the remaining arguments, {@code null} for missing ones). Bindings
 * are computed once.
 *
 * @since 0.1.0
 */
public final class ParameterBinder {

	private final Method method;

	private final Binding[] bindings;

	/**
	 * Prepare the bindings of a method.
	 * @param method the method
	 * @param beanClass the class the method is called on, for generic resolution
	 * @param ejson the EJSON codec
	 * @param injectableTypes the parameter types supplied by the caller rather than bound
	 * to arguments
	 */
	public ParameterBinder(Method method, Class<?> beanClass, Ejson ejson, Set<Class<?>> injectableTypes) {
		this.method = method;
		ReflectionUtils.makeAccessible(method);
		this.bindings = new Binding[method.getParameterCount()];
		int position = 0;
		for (int i = 0; i < this.bindings.length; i++) {
			MethodParameter parameter = new MethodParameter(method, i).withContainingClass(beanClass);
			Class<?> type = parameter.getParameterType();
			ResolvableType resolvable = ResolvableType.forMethodParameter(parameter);
			if (injectableTypes.contains(type)) {
				this.bindings[i] = new Binding(Kind.INJECTED, -1, null, type);
			}
			else if (method.isVarArgs() && i == this.bindings.length - 1) {
				this.bindings[i] = new Binding(Kind.VARARGS, position++,
						javaType(ejson, resolvable.getComponentType().getType()), type);
			}
			else if (Optional.class.equals(type)) {
				this.bindings[i] = new Binding(Kind.OPTIONAL, position++,
						javaType(ejson, resolvable.getGeneric(0).getType()), type);
			}
			else {
				this.bindings[i] = new Binding(Kind.POSITIONAL, position++, javaType(ejson, resolvable.getType()),
						type);
			}
		}
	}

	private static JavaType javaType(Ejson ejson, Type type) {
		return ejson.mapper().constructType(type);
	}

	/**
	 * Wrap a call's {@code params} as {@link MethodArguments}.
	 * @param params the arguments as sent
	 * @param ejson the EJSON codec
	 * @return the arguments
	 */
	public static MethodArguments arguments(ArrayNode params, Ejson ejson) {
		return new JsonMethodArguments(params, ejson);
	}

	/**
	 * Return the values to invoke the method with.
	 * @param injected supplies the value of each injectable parameter type
	 * @param arguments the call's arguments, from {@link #arguments(ArrayNode, Ejson)}
	 * @return the values
	 * @throws DdpException 400 {@code Match failed} when an argument does not convert
	 */
	public @Nullable Object[] bind(Function<Class<?>, @Nullable Object> injected, MethodArguments arguments) {
		JsonMethodArguments json = (JsonMethodArguments) arguments;
		Object[] values = new Object[this.bindings.length];
		for (int i = 0; i < values.length; i++) {
			Binding binding = this.bindings[i];
			values[i] = switch (binding.kind) {
				case INJECTED -> injected.apply(binding.rawType);
				case POSITIONAL -> positional(json, binding, i);
				case OPTIONAL -> Optional.ofNullable(json.convert(binding.position, binding.type));
				case VARARGS -> varargs(json, binding);
			};
		}
		return values;
	}

	/**
	 * Describe the method as registries name it in duplicate-name failures.
	 * @param beanName the bean's name
	 * @return e.g. {@code bean 'greeter' (com.example.Greeter#greet)}
	 */
	public String describe(String beanName) {
		return "bean '" + beanName + "' (" + this.method.getDeclaringClass().getName() + "#" + this.method.getName()
				+ ")";
	}

	/**
	 * Invoke the method, rethrowing what it threw rather than a reflection wrapper.
	 * @param bean the bean to invoke it on
	 * @param values the values from {@link #bind}
	 * @return the method's return value
	 * @throws Exception what the method threw
	 */
	public @Nullable Object invoke(Object bean, @Nullable Object[] values) throws Exception {
		try {
			return this.method.invoke(bean, values);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			throw (Error) target;
		}
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
		Object array = Array.newInstance(binding.type.getRawClass(), count);
		for (int i = 0; i < count; i++) {
			int index = binding.position + i;
			Array.set(array, i, arguments.convert(arguments.json().get(index), binding.type, index));
		}
		return array;
	}

	private enum Kind {

		INJECTED, POSITIONAL, OPTIONAL, VARARGS

	}

	private record Binding(Kind kind, int position, @Nullable JavaType type, Class<?> rawType) {
	}

}
