package io.ddp.spring.server.publication;

import java.lang.reflect.Method;
import java.util.Set;

import io.ddp.spring.protocol.Ejson;
import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.MethodArguments;
import io.ddp.spring.server.method.ParameterBinder;
import io.ddp.spring.server.method.ParameterValidator;
import org.jspecify.annotations.Nullable;

/**
 * Calls a {@link DdpPublication} bean method with the subscription's arguments bound to
 * its parameters.
 */
final class AnnotatedPublicationHandler implements DdpPublicationHandler {

	private final Object bean;

	private final String beanName;

	private final Method method;

	private final ParameterBinder binder;

	private final @Nullable ParameterValidator validator;

	AnnotatedPublicationHandler(Object bean, String beanName, Method method, Ejson ejson,
			@Nullable ParameterValidator validator) {
		this.bean = bean;
		this.beanName = beanName;
		this.method = method;
		this.validator = validator;
		this.binder = new ParameterBinder(method, bean.getClass(), ejson,
				Set.of(ServerSubscription.class, ClientConnection.class, MethodArguments.class));
	}

	@Override
	public @Nullable Object publish(ServerSubscription subscription, MethodArguments arguments) throws Exception {
		Object[] values = this.binder.bind((type) -> injected(type, subscription, arguments), arguments);
		if (this.validator != null) {
			this.validator.validate(this.bean, this.method, values);
		}
		return this.binder.invoke(this.bean, values);
	}

	private static @Nullable Object injected(Class<?> type, ServerSubscription subscription,
			MethodArguments arguments) {
		if (type == ServerSubscription.class) {
			return subscription;
		}
		return (type == ClientConnection.class) ? subscription.connection() : arguments;
	}

	@Override
	public String toString() {
		return this.binder.describe(this.beanName);
	}

}
