package io.ddp.spring.server.method;

import org.jspecify.annotations.Nullable;

/**
 * A DDP method defined without annotations, registered with
 * {@link DdpMethodRegistry#register(String, DdpMethodHandler)}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpMethodHandler {

	/**
	 * Marker result: the method returned nothing, so {@code result} has no {@code result}
	 * field.
	 */
	Object NO_RESULT = new Object() {

		@Override
		public String toString() {
			return "NO_RESULT";
		}

	};

	/**
	 * Run the method.
	 * @param invocation the invocation context
	 * @param arguments the call's positional arguments
	 * @return the result: a value, {@code null}, {@link #NO_RESULT}, or a
	 * {@code CompletionStage} of one of those
	 * @throws Exception any error; {@link io.ddp.spring.protocol.DdpException} reaches
	 * the client as is, others are sanitized
	 */
	@Nullable Object handle(DdpMethodInvocation invocation, MethodArguments arguments) throws Exception;

}
