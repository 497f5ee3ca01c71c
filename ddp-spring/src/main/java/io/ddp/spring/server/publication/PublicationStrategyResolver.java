package io.ddp.spring.server.publication;

import org.jspecify.annotations.Nullable;

/**
 * Chooses the {@link PublicationStrategy} of each collection (Meteor's
 * {@code setPublicationStrategy}). Declare a bean of this type, or set
 * {@code ddp.server.publication-strategies.<collection>}.
 *
 * @since 0.1.0
 */
@FunctionalInterface
public interface PublicationStrategyResolver {

	/**
	 * Return the strategy of a collection.
	 * @param collection the collection name
	 * @return the strategy, or {@code null} for {@link PublicationStrategy#SERVER_MERGE}
	 */
	@Nullable PublicationStrategy strategyFor(String collection);

}
