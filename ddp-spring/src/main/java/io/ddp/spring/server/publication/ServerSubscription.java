package io.ddp.spring.server.publication;

import java.util.Map;

import io.ddp.spring.server.ClientConnection;
import org.jspecify.annotations.Nullable;

/**
 * One client's subscription to a publication, as the publication sees it (Meteor's
 * {@code this} inside a publish function): the low-level publishing API.
 *
 * <p>
 * Thread-safe: a publication may call it from any thread, for instance from a timer or a
 * change listener. Every call is a no-op once the subscription is no longer active
 * (stopped, failed, unsubscribed, its session closed or its user changed).
 *
 * @since 0.1.0
 */
public interface ServerSubscription {

	/**
	 * Return the subscription id the client chose, {@code null} for a universal
	 * subscription.
	 * @return the id or {@code null}
	 */
	@Nullable String id();

	/**
	 * Return the publication name, {@code null} for a universal publication.
	 * @return the name or {@code null}
	 */
	@Nullable String name();

	/**
	 * Publish a document. Values are copied; the id is escaped as Meteor does
	 * ({@code MongoID.idStringify}).
	 * @param collection the collection name
	 * @param id the document id
	 * @param fields the fields
	 */
	void added(String collection, Object id, Map<String, ? extends @Nullable Object> fields);

	/**
	 * Change fields of a published document; a {@code null} value removes the field.
	 * @param collection the collection name
	 * @param id the document id
	 * @param fields the changed fields
	 * @throws IllegalStateException if this subscription has not published the document
	 */
	void changed(String collection, Object id, Map<String, ? extends @Nullable Object> fields);

	/**
	 * Withdraw a published document.
	 * @param collection the collection name
	 * @param id the document id
	 * @throws IllegalStateException if this subscription has not published the document
	 */
	void removed(String collection, Object id);

	/**
	 * Tell the client the initial data is complete (once; ignored for universal
	 * subscriptions).
	 */
	void ready();

	/**
	 * Stop with an error: the client's documents from this subscription are withdrawn,
	 * {@link #onStop} callbacks run, then {@code nosub} carries the sanitized error.
	 * @param error the error
	 */
	void error(Throwable error);

	/**
	 * Stop: as {@link #error(Throwable)} without an error.
	 */
	void stop();

	/**
	 * Register a callback for when the subscription stops for any reason; runs at once if
	 * it has stopped already.
	 * @param callback the callback
	 */
	void onStop(Runnable callback);

	/**
	 * Whether the subscription is still active.
	 * @return whether calls still have an effect
	 */
	boolean isActive();

	/**
	 * Return the user id the subscription runs for (fixed: a user change reruns the
	 * publication with a new subscription).
	 * @return the user id or {@code null}
	 */
	@Nullable String userId();

	/**
	 * Return the client's connection.
	 * @return the connection
	 */
	ClientConnection connection();

	/**
	 * Let the session's next message start before this publication's handler returns.
	 */
	void unblock();

}
