package io.ddp.spring.server.publication;

import io.ddp.spring.server.method.MethodArguments;
import org.jspecify.annotations.Nullable;

/**
 * A publication defined without annotations, registered with
 * {@link DdpPublicationRegistry}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface DdpPublicationHandler {

	/**
	 * Start publishing to one subscription.
	 * @param subscription the subscription, with the low-level publishing API
	 * @param arguments the subscription's arguments
	 * @return {@code null} after publishing through the subscription, a
	 * {@link PublishableCursor}, or a {@code Collection} or array of cursors on distinct
	 * collections (or a {@code CompletionStage} of one of those); any other value is an
	 * error, as in Meteor
	 * @throws Exception any error; the subscription stops with it
	 */
	@Nullable Object publish(ServerSubscription subscription, MethodArguments arguments) throws Exception;

}
