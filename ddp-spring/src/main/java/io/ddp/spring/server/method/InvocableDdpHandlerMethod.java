package io.ddp.spring.server.method;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

import io.ddp.spring.protocol.Ejson;
import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodParameter;
import org.springframework.util.ReflectionUtils;

/**
 * A bean method that handles DDP calls, {@link DdpMethod} and publication methods alike:
 * resolves each parameter, validates the values when a {@link ParameterValidator} is
 * given, and invokes the method. Each parameter's resolver is chosen once, here: the
 * first of the composite's resolvers that supports it, otherwise the call's next
 * positional argument. A call then only runs those resolvers and the method.
 *
 * @since 0.1.0
 */
public final class InvocableDdpHandlerMethod {

	private final Object bean;

	private final Method method;

	private final MethodParameter[] parameters;

	private final DdpArgumentResolver[] resolvers;

	private final @Nullable ParameterValidator validator;

	/**
	 * Prepare a method for invocation.
	 * @param bean the bean to invoke it on
	 * @param method the method
	 * @param resolvers the resolvers of context parameters
	 * @param ejson the EJSON codec that converts call arguments
	 * @param validator validates the values before the call, or {@code null}
	 */
	public InvocableDdpHandlerMethod(Object bean, Method method, DdpArgumentResolverComposite resolvers, Ejson ejson,
			@Nullable ParameterValidator validator) {
		this.bean = bean;
		this.method = method;
		this.validator = validator;
		ReflectionUtils.makeAccessible(method);
		int count = method.getParameterCount();
		this.parameters = new MethodParameter[count];
		this.resolvers = new DdpArgumentResolver[count];
		int position = 0;
		for (int i = 0; i < count; i++) {
			MethodParameter parameter = new MethodParameter(method, i).withContainingClass(bean.getClass());
			DdpArgumentResolver resolver = resolvers.getArgumentResolver(parameter);
			this.parameters[i] = parameter;
			this.resolvers[i] = (resolver != null) ? resolver
					: PositionalArgumentResolver.of(parameter, position++, ejson);
		}
	}

	/**
	 * Resolve the parameters, validate and invoke the method.
	 * @param context the call
	 * @return what the method returned
	 * @throws io.ddp.spring.protocol.DdpException 400 {@code Match failed} when an
	 * argument does not convert or fails validation
	 * @throws Exception what a resolver or the method threw (not a reflection wrapper)
	 */
	public @Nullable Object invoke(DdpInvocationContext context) throws Exception {
		@Nullable Object[] values = new Object[this.parameters.length];
		for (int i = 0; i < values.length; i++) {
			values[i] = this.resolvers[i].resolveArgument(this.parameters[i], context);
		}
		if (this.validator != null) {
			this.validator.validate(this.bean, this.method, values);
		}
		try {
			return this.method.invoke(this.bean, values);
		}
		catch (InvocationTargetException ex) {
			Throwable target = ex.getTargetException();
			if (target instanceof Exception exception) {
				throw exception;
			}
			throw (Error) target;
		}
	}

	/**
	 * Return the method.
	 * @return the method
	 */
	public Method getMethod() {
		return this.method;
	}

	/**
	 * Return the bean the method is invoked on.
	 * @return the bean
	 */
	public Object getBean() {
		return this.bean;
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

}
