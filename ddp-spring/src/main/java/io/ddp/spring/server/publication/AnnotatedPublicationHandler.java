package io.ddp.spring.server.publication;

import io.ddp.spring.server.ClientConnection;
import io.ddp.spring.server.method.DdpInvocationContext;
import io.ddp.spring.server.method.InvocableDdpHandlerMethod;
import io.ddp.spring.server.method.MethodArguments;
import org.jspecify.annotations.Nullable;

/**
 * Calls a {@link DdpPublication} bean method through its
 * {@link InvocableDdpHandlerMethod}; what it returns goes to the subscription as is.
 */
final class AnnotatedPublicationHandler implements DdpPublicationHandler {

	private final String beanName;

	private final InvocableDdpHandlerMethod invocable;

	AnnotatedPublicationHandler(String beanName, InvocableDdpHandlerMethod invocable) {
		this.beanName = beanName;
		this.invocable = invocable;
	}

	@Override
	public @Nullable Object publish(ServerSubscription subscription, MethodArguments arguments) throws Exception {
		return this.invocable.invoke(new Context(subscription, arguments));
	}

	@Override
	public String toString() {
		return this.invocable.describe(this.beanName);
	}

	private record Context(ServerSubscription source, MethodArguments arguments) implements DdpInvocationContext {

		@Override
		public ClientConnection connection() {
			return this.source.connection();
		}

		@Override
		public @Nullable String userId() {
			return this.source.userId();
		}

	}

}
